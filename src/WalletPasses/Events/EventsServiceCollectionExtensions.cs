using Microsoft.Extensions.Options;

namespace WalletPasses.Events;

public static class EventsServiceCollectionExtensions
{
    /// <summary>Loyalty events: their options, the queue they arrive on and their processing.</summary>
    public static IServiceCollection AddEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EventsOptions>().Bind(configuration.GetSection(EventsOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EventsOptions>, EventsOptionsValidator>();
        services.AddSingleton<LoyaltyEventProcessor>();
        services.AddSingleton<LoyaltyEventMessages>();
        services.AddSingleton<LoyaltyEventPrograms>();
        services.AddSingleton<Storage.IRetentionSweep, RejectedLoyaltyEventsSweep>();
        return services;
    }
}
