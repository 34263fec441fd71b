namespace WalletPasses.Tests.Notifications;

/// <summary>
/// <see cref="NotificationAppFixture"/> with a budget of 4 alerts per pass per 24 hours (the setting allows up to 100):
/// one more than Google gives a pass, so Google itself refuses the fourth notification.
/// </summary>
public sealed class FourAlertsADayFixture : NotificationAppFixture
{
    protected override void Configure(Dictionary<string, string?> settings) =>
        settings["WalletPasses:Notifications:MaxPerDay"] = "4";
}
