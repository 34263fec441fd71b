using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Delivery;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Delivery;

/// <summary>
/// A device registers (201) while a delivery of the same pass version is pushing the devices registered before it. The
/// registration owes the new device the version (Apple, "Adding a Web Service to Update Passes",
/// https://developer.apple.com/documentation/walletpasses/adding-a-web-service-to-update-passes: a device asks which
/// passes changed only after a push), and its transaction changes the outbox row under the delivery, whose save then
/// loses the ETag race. The delivery merges what it did into the row instead of losing it: the devices it pushed are not
/// pushed again, and the new device is pushed once.
/// </summary>
public sealed class LateRegistrationRaceTests(LateRegistrationRaceTests.HeldPushApp app) : IClassFixture<LateRegistrationRaceTests.HeldPushApp>
{
    private static ApnsEmulator Apns => SharedApns.Emulator;

    private WalletPassesFactory Factory => app.Factory;

    /// <summary>The app with a long APNs request time-out: a held push is in flight, not timed out.</summary>
    public sealed class HeldPushApp : AppFixture
    {
        protected override IDictionary<string, string?>? SettingOverrides => new Dictionary<string, string?>
        {
            ["WalletPasses:Apple:ApnsRequestTimeout"] = "00:01:00",
        };
    }

    private static int AcceptedPushes(SimulatedDevice device) => Apns.Pushes.Count(push => push.PushToken == device.PushToken && push.Status == 200);

    private async Task RunRetryJobAsync()
    {
        Factory.Time.Advance(new DeliveryOptions().RetryInterval + TimeSpan.FromSeconds(1));
        await Factory.Services.GetRequiredService<StaleAnnouncementsJob>().RunOnceAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_device_registering_while_a_change_is_pushed_is_pushed_once_and_the_others_are_not_pushed_again()
    {
        var pass = await InstalledPass.IssueAsync(Factory, points: 100);
        var early = new SimulatedDevice(Factory);
        Assert.Equal(HttpStatusCode.Created, (await early.RegisterAsync(pass)).StatusCode);
        var held = Apns.HoldNextPushTo(early.PushToken);

        Factory.Time.Advance(TimeSpan.FromSeconds(2));
        var changing = pass.SetPointsAsync(Factory, 250); // its delivery read the outbox row and is pushing the early device
        await held.Arrived.WaitAsync(TimeSpan.FromSeconds(30));
        var late = new SimulatedDevice(Factory);
        Assert.Equal(HttpStatusCode.Created, (await late.RegisterAsync(pass)).StatusCode); // reopens the row under the delivery
        held.Release();
        await changing;

        await RunRetryJobAsync();
        await Eventually.HoldsAsync(() => Task.FromResult(AcceptedPushes(late) == 1), "the device that registered during the push is pushed the change");
        var fetched = await late.FetchPassAsync(pass);
        Assert.Equal(250, new PkPass(await fetched.Content.ReadAsByteArrayAsync()).Field("primaryFields", "points").GetProperty("value").GetInt64());

        await RunRetryJobAsync();
        Assert.Equal(1, AcceptedPushes(early)); // before the fix: the lost save forgot this push, and the job pushed it again
        Assert.Equal(1, AcceptedPushes(late));
    }
}
