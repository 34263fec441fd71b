using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Delivery;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Delivery;

/// <summary>
/// APNs answers 410 when "the device token is no longer active for the topic" (Apple, "Handling notification responses
/// from APNs", https://developer.apple.com/documentation/usernotifications/setting_up_a_remote_notification_server/handling_notification_responses_from_apns,
/// Table 2; its body carries a <c>timestamp</c>, when APNs found the token invalid, Table 3). The 410 is about a token,
/// not a device: Apple's DTS engineers say it "could also mean the token has changed while the app is still installed"
/// (Apple Developer Forums, thread 745902). A device that registers again with a new token while a push to its old
/// token is in flight must keep its registration when that push comes back 410.
/// </summary>
public sealed class RefreshedPushTokenTests(RefreshedPushTokenTests.HeldPushApp app) : IClassFixture<RefreshedPushTokenTests.HeldPushApp>
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

    [Fact]
    public async Task A_device_that_registered_a_new_token_while_its_old_one_was_pushed_and_found_gone_keeps_getting_updates()
    {
        var pass = await InstalledPass.IssueAsync(Factory, points: 100);
        var iphone = new SimulatedDevice(Factory);
        Assert.Equal(HttpStatusCode.Created, (await iphone.RegisterAsync(pass)).StatusCode);
        var oldToken = iphone.PushToken;
        Apns.RespondToToken(oldToken, ApnsReply.Unregistered);
        var held = Apns.HoldNextPushTo(oldToken);

        var changing = pass.SetPointsAsync(Factory, 200); // read the device with its old token; the push to it is in flight
        await held.Arrived.WaitAsync(TimeSpan.FromSeconds(30));
        iphone.PushToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        Assert.Equal(HttpStatusCode.OK, (await iphone.RegisterAsync(pass)).StatusCode); // the same pass, a new token
        held.Release(); // APNs: 410 for the old token
        await changing;
        int PushesToNewToken() => Apns.Pushes.Count(push => push.PushToken == iphone.PushToken && push.Status == 200);

        // The version pushed to the old token has yet to reach the device: the outbox retries it, to the new token.
        Factory.Time.Advance(new DeliveryOptions().RetryInterval + TimeSpan.FromSeconds(1));
        await Factory.Services.GetRequiredService<StaleAnnouncementsJob>().RunOnceAsync(CancellationToken.None);
        await Eventually.HoldsAsync(() => PushesToNewToken() == 1, "the missed version is pushed to the new token");

        Factory.Time.Advance(TimeSpan.FromSeconds(2));
        await pass.SetPointsAsync(Factory, 300);

        // Before the fix: the 410 removed the registration whatever its token; no push to the new token, and the list call answers 204.
        Assert.Equal(2, PushesToNewToken());
        var (serialNumbers, _) = await iphone.ListChangedAsync(pass);
        Assert.Equal([pass.SerialNumber], serialNumbers);
    }
}
