namespace WalletPasses.Notifications;

public static class NotificationsServiceCollectionExtensions
{
    /// <summary>The notification policy's settings, checked at start-up.</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(NotificationOptions.Section))
            .Validate(o => o.MaxPerDay is >= 0 and <= 100, $"{NotificationOptions.Section}:MaxPerDay must be between 0 and 100 (alerts per pass per 24 hours).")
            .Validate(o => IsTime(o.QuietHoursStart) && IsTime(o.QuietHoursEnd), $"{NotificationOptions.Section}:QuietHoursStart and QuietHoursEnd must be local times as HH:mm, such as 21:00 and 08:00 (equal: no quiet hours).")
            .Validate(o => MemberTimeZones.Find(o.DefaultTimeZone) is not null, $"{NotificationOptions.Section}:DefaultTimeZone must be an IANA time zone id this system knows, such as UTC or Europe/Berlin.")
            .ValidateOnStart();
        return services;
    }

    private static bool IsTime(string? value) => TimeOnly.TryParseExact(value, "HH:mm", out _);
}
