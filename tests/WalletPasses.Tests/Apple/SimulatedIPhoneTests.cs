using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WalletPasses.Tests.Events;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Apple;

/// <summary>
/// An iPhone end to end over real HTTP, Azurite and the APNs emulator: install, register, the backend posts
/// a points event, the push arrives, the device asks what changed, fetches the new pass, then unregisters.
/// </summary>
public sealed class SimulatedIPhoneTests(PollingFixture app) : IClassFixture<PollingFixture>
{
    private static ApnsEmulator Apns => SharedApns.Emulator;

    private static async Task<RecordedPush> WaitForPushAsync(string pushToken, int count = 1)
    {
        await Eventually.HoldsAsync(() => Apns.Pushes.Count(p => p.PushToken == pushToken) >= count, $"{count} pushes to the device arrive");
        return Apns.Pushes.Where(p => p.PushToken == pushToken).ToArray()[^1];
    }

    [Fact]
    public async Task A_points_event_pushes_the_device_which_fetches_the_new_balance()
    {
        var pass = await InstalledPass.IssueAsync(app.Factory, points: 1250);
        var iphone = new SimulatedDevice(app.Factory);
        Assert.Equal(HttpStatusCode.Created, (await iphone.RegisterAsync(pass)).StatusCode);
        var (_, tag) = await iphone.ListChangedAsync(pass);
        app.Factory.Time.Advance(TimeSpan.FromSeconds(2));

        using var backend = app.Factory.CreateBackendClient();
        var accepted = await backend.PostAsync("/api/loyalty-events", TestMembers.Json(TestMembers.PointsEvent(pass.MemberId, 17, 1300)));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        var push = await WaitForPushAsync(iphone.PushToken);
        Assert.Equal("POST", push.Method);
        Assert.Equal($"/3/device/{iphone.PushToken}", push.Path);
        Assert.Equal("HTTP/2", push.Protocol);
        Assert.Equal("{}", push.Body);
        Assert.Equal(pass.PassTypeIdentifier, push.Headers["apns-topic"]);
        Assert.Contains("Pass Type ID: " + pass.PassTypeIdentifier, push.ClientCertificateSubject, StringComparison.Ordinal);

        var (changed, newTag) = await iphone.ListChangedAsync(pass, tag);
        Assert.Equal([pass.SerialNumber], changed);
        Assert.NotEqual(tag, newTag);

        var fetched = await iphone.FetchPassAsync(pass);
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        var newPass = new PkPass(await fetched.Content.ReadAsByteArrayAsync());
        Assert.Equal(1300, newPass.Field("primaryFields", "points").GetProperty("value").GetInt64());
        Assert.Equal("You now have %@ points", newPass.Strings("en")[newPass.Field("primaryFields", "points").GetProperty("changeMessage").GetString()!]);

        var again = await iphone.FetchPassAsync(pass, ifModifiedSince: fetched.Content.Headers.LastModified);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await iphone.UnregisterAsync(pass)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await iphone.ListAsync(pass)).StatusCode);
    }

    [Fact]
    public async Task A_device_APNs_reports_gone_loses_its_registration_and_others_still_get_pushed()
    {
        var pass = await InstalledPass.IssueAsync(app.Factory);
        var gone = new SimulatedDevice(app.Factory);
        var alive = new SimulatedDevice(app.Factory);
        await gone.RegisterAsync(pass);
        await alive.RegisterAsync(pass);
        Apns.RespondToToken(gone.PushToken, ApnsReply.UnregisteredSince(app.Factory.Time.GetUtcNow())); // on the app's clock: found gone after the registration

        app.Factory.Time.Advance(TimeSpan.FromSeconds(2));
        await pass.SetPointsAsync(app.Factory, 4242);

        await WaitForPushAsync(alive.PushToken);
        await WaitForPushAsync(gone.PushToken);
        var registrations = await StoredRegistrations.ForMemberAsync(app.Factory, pass.MemberId);
        Assert.Equal([alive.Id], registrations.Select(r => r.DeviceLibraryIdentifier));
        Assert.Equal(HttpStatusCode.NoContent, (await gone.ListAsync(pass)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alive.ListAsync(pass)).StatusCode);
    }

    [Fact]
    public async Task A_failed_push_loses_no_update_the_device_finds_it_on_its_next_check()
    {
        var pass = await InstalledPass.IssueAsync(app.Factory, points: 10);
        var iphone = new SimulatedDevice(app.Factory);
        await iphone.RegisterAsync(pass);
        var (_, tag) = await iphone.ListChangedAsync(pass);
        Apns.RespondToToken(iphone.PushToken, ApnsReply.ServiceUnavailable);

        app.Factory.Time.Advance(TimeSpan.FromSeconds(2));
        await pass.SetPointsAsync(app.Factory, 20);

        await WaitForPushAsync(iphone.PushToken, count: 2); // tried, retried, failed
        Assert.Single(await StoredRegistrations.ForMemberAsync(app.Factory, pass.MemberId));
        var (changed, _) = await iphone.ListChangedAsync(pass, tag);
        Assert.Equal([pass.SerialNumber], changed);
        var newPass = new PkPass(await (await iphone.FetchPassAsync(pass)).Content.ReadAsByteArrayAsync());
        Assert.Equal(20, newPass.Field("primaryFields", "points").GetProperty("value").GetInt64());
    }

    [Fact]
    public async Task Deleting_the_member_pushes_the_device_a_voided_pass()
    {
        var pass = await InstalledPass.IssueAsync(app.Factory);
        var iphone = new SimulatedDevice(app.Factory);
        await iphone.RegisterAsync(pass);
        app.Factory.Time.Advance(TimeSpan.FromSeconds(2));

        using var backend = app.Factory.CreateBackendClient();
        Assert.Equal(HttpStatusCode.NoContent, (await backend.DeleteAsync($"/api/members/{pass.MemberId}")).StatusCode);

        await WaitForPushAsync(iphone.PushToken);
        var voided = new PkPass(await (await iphone.FetchPassAsync(pass)).Content.ReadAsByteArrayAsync());
        Assert.True(voided.PassJson.GetProperty("voided").GetBoolean());
    }

    [Fact]
    public async Task A_certificate_APNs_rejects_is_reported_by_health()
    {
        await using var factory = new WalletPassesFactory(app.Azurite.ConnectionString, new Dictionary<string, string?> { ["WalletPasses:Events:PollQueue"] = "false" });
        var pass = await InstalledPass.IssueAsync(factory);
        var iphone = new SimulatedDevice(factory);
        await iphone.RegisterAsync(pass);
        Apns.RespondToToken(iphone.PushToken, ApnsReply.BadCertificate);

        factory.Time.Advance(TimeSpan.FromSeconds(2));
        await pass.SetPointsAsync(factory, 999);
        await WaitForPushAsync(iphone.PushToken);

        var health = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/health");
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        Assert.True(health.GetProperty("apple").GetProperty("apnsCertificateRejected").GetBoolean());
        Assert.Single(await StoredRegistrations.ForMemberAsync(factory, pass.MemberId)); // a certificate problem is not the device's fault
    }
}
