using WalletPasses.Jobs;
using WalletPasses.Members;

namespace WalletPasses.Delivery;

public static class DeliveryServiceCollectionExtensions
{
    /// <summary>The outbox (announcements, their delivery to every platform: Apple's pushes here), and the jobs that finish stale ones and re-push late devices.</summary>
    public static IServiceCollection AddDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DeliveryOptions>().Bind(configuration.GetSection(DeliveryOptions.Section))
            .Validate(o => o.RetryInterval > TimeSpan.Zero && o.MaxRetryDelay >= o.RetryInterval,
                $"{DeliveryOptions.Section}: RetryInterval must be positive and MaxRetryDelay at least RetryInterval.")
            .Validate(o => o.AnnouncerGrace > TimeSpan.Zero, $"{DeliveryOptions.Section}:AnnouncerGrace must be positive.")
            .Validate(o => o.MaxPerRun is >= 1 and <= 1000, $"{DeliveryOptions.Section}:MaxPerRun must be between 1 and 1000.")
            .ValidateOnStart();
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
        return services;
    }
}
