using Microsoft.Extensions.Options;
using WalletPasses.Apple.Apns;
using WalletPasses.Templates;

namespace WalletPasses.Apple;

public static class AppleServiceCollectionExtensions
{
    /// <summary>
    /// Apple Wallet: the signing certificates (<see cref="AppleOptions"/>, refused in Production when they are
    /// development material), .pkpass building, customer links, the PassKit web service and the APNs client.
    /// </summary>
    public static IServiceCollection AddApple(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AppleOptions>().Bind(configuration.GetSection(AppleOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AppleOptions>, AppleOptionsValidator>();
        services.AddSingleton<IValidateOptions<AppleOptions>, AppleProductionOptionsValidator>();
        services.AddSingleton(sp => PassCertificates.Load(sp.GetRequiredService<IOptions<AppleOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ProgramCertificates>();
        services.AddSingleton<ITemplateRule, CertificateMatchesTemplateRule>();
        services.AddSingleton<IPassSigner, ProgramPassSigner>();
        services.AddSingleton<PkPassBuilder>();
        services.AddSingleton<AuthenticationTokens>();
        services.AddSingleton<PassLinks>();
        services.AddSingleton<ApplePasses>();
        services.AddSingleton<ProgramPassTypes>();
        services.AddSingleton<DeviceRegistrations>();
        services.AddPassKitWebService(configuration);
        services.AddSingleton<IApnsClientCertificateSource, PassCertificateApnsSource>();
        services.AddApnsClient();
        return services;
    }
}
