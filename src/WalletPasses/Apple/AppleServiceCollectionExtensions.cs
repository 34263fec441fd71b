using Microsoft.Extensions.DependencyInjection.Extensions;
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
        services.AddSingleton<ITemplateRule, CertificateMatchesTemplateRule>();
        services.AddSingleton<IPassSigner, PassSigner>();
        services.AddSingleton<PkPassBuilder>();
        services.AddSingleton<AuthenticationTokens>();
        services.AddSingleton<PassLinks>();
        services.AddSingleton<ApplePasses>();
        services.AddSingleton<DeviceRegistrations>();
        services.AddPassKitWebService(configuration);
        services.AddSingleton<IApnsClientCertificateSource, PassCertificateApnsSource>();
        services.AddApnsClient(configuration);
        // Retries run on the wall clock (TimeProvider.System), whatever clock the business logic is given (tests freeze theirs).
        services.Replace(ServiceDescriptor.Singleton<IApnsClient>(sp => ActivatorUtilities.CreateInstance<ApnsClient>(sp, TimeProvider.System)));
        return services;
    }
}
