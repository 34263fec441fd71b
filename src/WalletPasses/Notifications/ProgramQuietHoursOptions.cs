namespace WalletPasses.Notifications;

/// <summary>
/// One program's quiet hours, section <c>WalletPasses:Notifications:Programs:{programId}</c>: both times as <c>HH:mm</c>
/// (equal: none). A program without its own uses the deployment's <see cref="NotificationOptions.QuietHoursStart"/> and end.
/// </summary>
public sealed class ProgramQuietHoursOptions
{
    public string QuietHoursStart { get; set; } = "";

    public string QuietHoursEnd { get; set; } = "";
}
