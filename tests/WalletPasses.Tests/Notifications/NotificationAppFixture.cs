using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Delivery;
using WalletPasses.Events;
using WalletPasses.Tests.Google;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Notifications;

/// <summary>
/// The real app over Azurite with Apple passes and Google Wallet (its <see cref="GoogleWalletFake"/>), and the
/// default notification policy: quiet hours 21:00–08:00 in the member's zone, 3 alerts per pass per 24 hours.
/// </summary>
public class NotificationAppFixture : IAsyncLifetime
{
    public GoogleWalletFake Fake { get; private set; } = null!;

    public WalletPassesFactory Factory { get; private set; } = null!;

    public LoyaltyEventProcessor Processor => Factory.Services.GetRequiredService<LoyaltyEventProcessor>();

    public DeferredAlertsJob DeferredAlertsJob => Factory.Services.GetRequiredService<DeferredAlertsJob>();

    public async Task InitializeAsync()
    {
        var azurite = await AzuriteServer.Shared;
        Fake = await GoogleWalletFake.StartAsync();
        var settings = GoogleAppFixture.GoogleSettings(Fake, Fake.WriteServiceAccountKeyFile());
        settings["WalletPasses:Notifications:QuietHoursStart"] = "21:00";
        settings["WalletPasses:Notifications:QuietHoursEnd"] = "08:00";
        settings["WalletPasses:Google:IssueTimeout"] = "00:01:00"; // a wall-clock budget: a loaded test machine must not leave Google pending
        Configure(settings);
        Factory = new WalletPassesFactory(azurite.ConnectionString, settings);
        Fake.Clock = Factory.Time; // Google's 24-hour notification quota counts on the app's clock
        using var client = Factory.CreateClient();
        (await client.GetAsync(new Uri("/api/health", UriKind.Relative))).EnsureSuccessStatusCode();
    }

    /// <summary>Settings of a fixture whose policy differs from the default.</summary>
    protected virtual void Configure(Dictionary<string, string?> settings)
    {
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Fake.DisposeAsync();
    }

    /// <summary>Moves the app's clock forward to the next time <paramref name="zone"/>'s clocks show <paramref name="local"/>.</summary>
    public DateTimeOffset AdvanceTo(TimeOnly local, TimeZoneInfo zone)
    {
        var now = Factory.Time.GetUtcNow();
        var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        for (var day = 0; day < 3; day++)
        {
            var candidate = date.AddDays(day).ToDateTime(local);
            if (!zone.IsInvalidTime(candidate) && new DateTimeOffset(candidate, zone.GetUtcOffset(candidate)) is var instant && instant > now)
            {
                Factory.Time.SetUtcNow(instant);
                return instant;
            }
        }

        throw new InvalidOperationException("No such local time in the next days.");
    }
}
