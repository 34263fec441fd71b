using Microsoft.Extensions.Options;
using WalletPasses.Barcodes;
using WalletPasses.Jobs;
using WalletPasses.Security;

namespace WalletPasses.Staff;

public static class StaffServiceCollectionExtensions
{
    /// <summary>Pass validation, redemptions, runtime staff keys, the points webhook and the per-key rate limit.</summary>
    public static IServiceCollection AddStaff(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StaffOptions>().Bind(configuration.GetSection(StaffOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StaffOptions>, StaffOptionsValidator>();
        services.AddSingleton<StaffKeyStore>();
        services.AddSingleton<IRuntimeApiKeys>(sp => sp.GetRequiredService<StaffKeyStore>());
        services.AddSingleton<IAuthenticationFailureLimit, StaffKeyFailureLimit>();
        services.AddSingleton<PassChecker>();
        services.AddSingleton<RedemptionLedger>();
        services.AddSingleton<VoidedPasses>();
        services.AddSingleton<StaffErasure>();
        services.AddSingleton<ScanLog>();
        services.AddSingleton<PointsWebhook>();
        services.AddPeriodicJob<PointsWebhookJob>();
        PointsWebhook.AddHttpClient(services);
        services.AddStaffRateLimiting();
        return services;
    }
}
