using Microsoft.Extensions.Options;

namespace WalletPasses.Security;

public static class ApiKeyAuthentication
{
    public const string BackendPolicy = "backend";
    public const string StaffPolicy = "staff";
    private const string BackendScheme = "BackendKey";
    private const string StaffScheme = "StaffKey";

    public static IServiceCollection AddApiKeyAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiKeyOptions>().Bind(configuration.GetSection(ApiKeyOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiKeyOptions>, ApiKeyOptionsValidator>();

        services.AddAuthentication()
            .AddScheme<ApiKeySchemeOptions, ApiKeyAuthenticationHandler>(BackendScheme, o => o.Role = ApiRoles.Backend)
            .AddScheme<ApiKeySchemeOptions, ApiKeyAuthenticationHandler>(StaffScheme, o => o.Role = ApiRoles.Staff);

        // Each role's routes accept only that role's scheme: a staff key on a backend route is simply unknown (401).
        services.AddAuthorizationBuilder()
            .AddPolicy(BackendPolicy, p => p.AddAuthenticationSchemes(BackendScheme).RequireAuthenticatedUser().RequireRole(ApiRoles.Backend))
            .AddPolicy(StaffPolicy, p => p.AddAuthenticationSchemes(StaffScheme).RequireAuthenticatedUser().RequireRole(ApiRoles.Staff));
        return services;
    }
}
