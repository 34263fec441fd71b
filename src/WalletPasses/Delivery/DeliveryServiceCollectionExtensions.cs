using WalletPasses.Hosting;

namespace WalletPasses.Delivery;

public static class DeliveryServiceCollectionExtensions
{
    /// <summary>The outbox (announcements, their delivery to every platform) and the job that finishes stale ones.</summary>
    public static IServiceCollection AddDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DeliveryOptions>().Bind(configuration.GetSection(DeliveryOptions.Section))
            .Validate(o => o.RetryInterval > TimeSpan.Zero && o.MaxRetryDelay >= o.RetryInterval,
                $"{DeliveryOptions.Section}: RetryInterval must be positive and MaxRetryDelay at least RetryInterval.")
            .Validate(o => o.AnnouncerGrace > TimeSpan.Zero, $"{DeliveryOptions.Section}:AnnouncerGrace must be positive.")
            .Validate(o => o.MaxPerRun is >= 1 and <= 1000, $"{DeliveryOptions.Section}:MaxPerRun must be between 1 and 1000.")
            .ValidateOnStart();
        services.AddSingleton<Announcements>();
        services.AddSingleton<DeliveryTrace>();
        services.AddSingleton<DeliveryHealthSource>();
        services.AddSingleton<Apple.ApplePushNotifier>();
        services.AddSingleton<Members.PassChanges>();
        services.AddPeriodicJob<StaleAnnouncementsJob>();
        services.AddPeriodicJob<RepushJob>();
        return services;
    }
}
