using Microsoft.Extensions.Options;

namespace WalletPasses.Notifications;

public static class NotificationsServiceCollectionExtensions
{
    /// <summary>The notification policy's settings, checked at start-up.</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(NotificationOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<NotificationOptions>, NotificationOptionsValidator>();
        return services;
    }
}
