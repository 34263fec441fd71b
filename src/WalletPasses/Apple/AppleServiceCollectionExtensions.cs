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
        services.AddSingleton<PassCertificateLoader>();
        services.AddSingleton(PassCertificatesOf);
        services.AddSingleton<ProgramCertificates>();
        services.AddSingleton<ITemplateRule, CertificateMatchesTemplateRule>();
        services.AddSingleton<IPassSigner, ProgramPassSigner>();
        services.AddSingleton<PkPassBuilder>();
        services.AddSingleton<AuthenticationTokens>();
        services.AddSingleton<PassLinks>();
        services.AddSingleton<ApplePasses>();
        services.AddSingleton<ProgramPassTypes>();
        services.AddSingleton<DeviceRegistrations>();
        services.AddSingleton<Storage.IRetentionSweep, ErasedMemberDevicesSweep>();
        services.AddPassKitWebService(configuration);
        services.AddSingleton<IApnsClientCertificateSource, PassCertificateApnsSource>();
        services.AddApnsClient();
        return services;
    }

    /// <summary>The certificates start-up validation loaded, from the loader that owns them (disposing them twice is harmless).</summary>
    private static PassCertificates PassCertificatesOf(IServiceProvider services)
    {
        var (certificates, errors) = services.GetRequiredService<PassCertificateLoader>().Load(services.GetRequiredService<IOptions<AppleOptions>>().Value);
        return certificates ?? throw new InvalidOperationException(string.Join(" ", errors));
    }
}
