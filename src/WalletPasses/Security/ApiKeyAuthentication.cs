using Microsoft.Extensions.Options;

namespace WalletPasses.Security;

public static class ApiKeyAuthentication
{
    public const string BackendPolicy = "backend";
    public const string StaffPolicy = "staff";
    private const string BackendScheme = "BackendKey";
    private const string StaffScheme = "StaffKey";

    /// <summary>The data protection key ring's start-up loader (aspnetcore, DataProtectionServiceCollectionExtensions).</summary>
    public const string KeyRingWarmUp = "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService";

    public static IServiceCollection AddApiKeyAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiKeyOptions>().Bind(configuration.GetSection(ApiKeyOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiKeyOptions>, ApiKeyOptionsValidator>();

        services.AddAuthentication()
            .AddScheme<ApiKeySchemeOptions, ApiKeyAuthenticationHandler>(BackendScheme, o => o.Role = ApiRoles.Backend)
            .AddScheme<ApiKeySchemeOptions, ApiKeyAuthenticationHandler>(StaffScheme, o => o.Role = ApiRoles.Staff);

        // AddAuthentication brings data protection, whose hosted service loads (on a fresh instance: creates and
        // writes) a key ring at every start, on a cold start's path. Nothing here protects data (keys come in headers,
        // there are no cookies), so the ring is left to load at its first use, if any.
        foreach (var warmUp in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.FullName == KeyRingWarmUp).ToList())
        {
            services.Remove(warmUp);
        }

        // Each role's routes accept only that role's scheme: a staff key on a backend route is simply unknown (401).
        services.AddAuthorizationBuilder()
            .AddPolicy(BackendPolicy, p => p.AddAuthenticationSchemes(BackendScheme).RequireAuthenticatedUser().RequireRole(ApiRoles.Backend))
            .AddPolicy(StaffPolicy, p => p.AddAuthenticationSchemes(StaffScheme).RequireAuthenticatedUser().RequireRole(ApiRoles.Staff));
        return services;
    }
}
