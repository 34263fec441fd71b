namespace WalletPasses.Apple;

public static class PassKitServiceCollectionExtensions
{
    /// <summary>The PassKit web service's limits (validated at start-up) and the operator's token revocation.</summary>
    public static IServiceCollection AddPassKitWebService(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PassKitOptions>().Bind(configuration.GetSection(PassKitOptions.Section)).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<PassKitOptions>, PassKitOptionsValidator>();
        services.AddSingleton<PassKitLimits>();
        services.AddSingleton<PassTokenRevocation>();
        return services;
    }
}
