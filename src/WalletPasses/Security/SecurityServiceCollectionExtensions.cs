using Microsoft.Extensions.Options;

namespace WalletPasses.Security;

public static class SecurityServiceCollectionExtensions
{
    /// <summary>The service-wide settings (<see cref="WalletPassesOptions"/>: signing secret, base URL), the keys derived from them, and API key authentication.</summary>
    public static IServiceCollection AddSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WalletPassesOptions>().Bind(configuration.GetSection(WalletPassesOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WalletPassesOptions>, WalletPassesOptionsValidator>();
        services.AddSingleton<IValidateOptions<WalletPassesOptions>>(new UnresolvedKeyVaultReferenceValidator(configuration));
        services.AddSingleton<DerivedKeys>();
        services.AddApiKeyAuthentication(configuration);
        return services;
    }
}
