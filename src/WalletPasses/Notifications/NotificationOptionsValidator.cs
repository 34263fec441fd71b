using Microsoft.Extensions.Options;

namespace WalletPasses.Notifications;

/// <summary>Stops start-up on <c>WalletPasses:Notifications</c> settings the notification policy cannot apply.</summary>
public sealed class NotificationOptionsValidator : IValidateOptions<NotificationOptions>
{
    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        var failures = new List<string>();
        if (options.MaxPerDay is < 0 or > 100)
        {
            failures.Add($"{NotificationOptions.Section}:MaxPerDay must be between 0 and 100 alerts per pass per 24 hours, for example 3 (Google's limit); 0 makes every update silent.");
        }

        if (!IsTime(options.QuietHoursStart) || !IsTime(options.QuietHoursEnd))
        {
            failures.Add($"{NotificationOptions.Section}:QuietHoursStart and {NotificationOptions.Section}:QuietHoursEnd must be local times as HH:mm, for example 21:00 and 08:00 (equal: no quiet hours).");
        }

        foreach (var (programId, own) in options.Programs)
        {
            if (!IsTime(own.QuietHoursStart) || !IsTime(own.QuietHoursEnd))
            {
                failures.Add($"{NotificationOptions.Section}:Programs:{programId}:QuietHoursStart and QuietHoursEnd must both be local times as HH:mm, for example 22:00 and 07:00 (equal: no quiet hours); remove the section for the deployment's quiet hours.");
            }
        }

        if (MemberTimeZones.Find(options.DefaultTimeZone) is null)
        {
            failures.Add($"{NotificationOptions.Section}:DefaultTimeZone must be an IANA time zone id this system knows, for example UTC or Europe/Berlin.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsTime(string? value) => TimeOnly.TryParseExact(value, "HH:mm", out _);
}
