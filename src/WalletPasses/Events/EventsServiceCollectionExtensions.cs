namespace WalletPasses.Events;

public static class EventsServiceCollectionExtensions
{
    /// <summary>Loyalty events: their options, the queue they arrive on and their processing.</summary>
    public static IServiceCollection AddEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(NotificationOptions.Section));
        services.AddOptions<EventSigningOptions>().Bind(configuration.GetSection(EventSigningOptions.Section));
        services.AddOptions<EventPollingOptions>().Bind(configuration.GetSection(EventPollingOptions.Section));
        services.AddSingleton<LoyaltyEventProcessor>();
        services.AddSingleton<LoyaltyEventMessages>();
        return services;
    }
}
