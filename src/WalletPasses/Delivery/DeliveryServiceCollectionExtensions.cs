using Microsoft.Extensions.Options;
using WalletPasses.Jobs;
using WalletPasses.Members;

namespace WalletPasses.Delivery;

public static class DeliveryServiceCollectionExtensions
{
    /// <summary>The outbox (announcements, their delivery to every platform: Apple's pushes here), the jobs that finish stale ones, re-push late devices, send alerts deferred past quiet hours and take expired offers off passes, and the device census.</summary>
    public static IServiceCollection AddDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DeliveryOptions>().Bind(configuration.GetSection(DeliveryOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DeliveryOptions>, DeliveryOptionsValidator>();
        services.AddSingleton<Announcements>();
        services.AddSingleton<IPassVersionOutbox>(sp => sp.GetRequiredService<Announcements>());
        services.AddSingleton<DeliveryTrace>();
        services.AddHostedService<DeliveryTraceShutdownFlush>();
        services.AddSingleton<DeliveryHealthSource>();
        services.AddSingleton<ApplePushNotifier>();
        services.AddSingleton<IPassChangeNotifier>(sp => sp.GetRequiredService<ApplePushNotifier>());
        services.AddSingleton<PassChanges>();
        services.AddPeriodicJob<StaleAnnouncementsJob>();
        services.AddPeriodicJob<RepushJob>();
        services.AddPeriodicJob<DeviceCensusJob>();
        services.AddPeriodicJob<DeferredAlertsJob>();
        services.AddPeriodicJob<OfferExpiryJob>();
        return services;
    }
}
