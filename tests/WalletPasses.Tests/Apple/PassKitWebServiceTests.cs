using System.Net;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Apple;

/// <summary>Apple's PassKit web service as devices use it: register, learn what changed, fetch, unregister.</summary>
public sealed class PassKitWebServiceTests(AppFixture app) : IClassFixture<AppFixture>
{
    private WalletPassesFactory Factory => app.Factory;

    [Fact]
    public async Task A_device_registers_learns_of_a_change_fetches_the_new_pass_and_unregisters()
    {
        var pass = await InstalledPass.IssueAsync(Factory, points: 100);
        Assert.Equal("https://wallet.test/api/passkit", pass.WebServiceUrl);
        var device = new SimulatedDevice(Factory);

        Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await device.RegisterAsync(pass)).StatusCode);

        var (serials, tag) = await device.ListChangedAsync(pass);
        Assert.Equal([pass.SerialNumber], serials);
        Assert.Equal(HttpStatusCode.NoContent, (await device.ListAsync(pass, tag)).StatusCode);

        Factory.Time.Advance(TimeSpan.FromSeconds(2));
        await pass.SetPointsAsync(Factory, 250);
        var (changed, newTag) = await device.ListChangedAsync(pass, tag);
        Assert.Equal([pass.SerialNumber], changed);
        Assert.Equal(HttpStatusCode.NoContent, (await device.ListAsync(pass, newTag)).StatusCode);

        var fetched = await device.FetchPassAsync(pass);
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        Assert.Equal("application/vnd.apple.pkpass", fetched.Content.Headers.ContentType?.MediaType);
        var lastModified = fetched.Content.Headers.LastModified;
        Assert.NotNull(lastModified);
        var newPass = new PkPass(await fetched.Content.ReadAsByteArrayAsync());
        Assert.Equal(250, newPass.Field("primaryFields", "points").GetProperty("value").GetInt64());
        Assert.Equal(pass.AuthenticationToken, newPass.PassJson.GetProperty("authenticationToken").GetString());

        var notModified = await device.FetchPassAsync(pass, ifModifiedSince: lastModified);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        var head = await device.FetchPassAsync(pass, HttpMethod.Head);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(lastModified, head.Content.Headers.LastModified);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());

        Assert.Equal(HttpStatusCode.OK, (await device.UnregisterAsync(pass)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await device.ListAsync(pass)).StatusCode);
        Assert.Empty(await StoredRegistrations.ForMemberAsync(Factory, pass.MemberId));
    }

    [Fact]
    public async Task A_pass_changed_after_the_devices_copy_is_fetched_whole_again()
    {
        var pass = await InstalledPass.IssueAsync(Factory, points: 100);
        var device = new SimulatedDevice(Factory);
        var lastModified = (await device.FetchPassAsync(pass)).Content.Headers.LastModified;

        Factory.Time.Advance(TimeSpan.FromSeconds(2));
        await pass.SetPointsAsync(Factory, 300);
        var response = await device.FetchPassAsync(pass, ifModifiedSince: lastModified);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Content.Headers.LastModified > lastModified);
        Assert.Equal(300, new PkPass(await response.Content.ReadAsByteArrayAsync()).Field("primaryFields", "points").GetProperty("value").GetInt64());
    }

    [Fact]
    public async Task Two_devices_on_one_pass_each_learn_of_its_change_and_both_receive_pushes()
    {
        var pass = await InstalledPass.IssueAsync(Factory);
        var phone = new SimulatedDevice(Factory);
        var watch = new SimulatedDevice(Factory);
        await phone.RegisterAsync(pass);
        await watch.RegisterAsync(pass);
        var (_, phoneTag) = await phone.ListChangedAsync(pass);
        var (_, watchTag) = await watch.ListChangedAsync(pass);

        var registrations = await StoredRegistrations.ForMemberAsync(Factory, pass.MemberId);
        Assert.Equal(
            new[] { (phone.Id, phone.PushToken), (watch.Id, watch.PushToken) }.Order(),
            registrations.Select(r => (r.DeviceLibraryIdentifier, r.PushToken)).Order());
        Assert.All(registrations, r => Assert.Equal(pass.SerialNumber, r.SerialNumber));

        int PushesTo(SimulatedDevice device) => SharedApns.Emulator.Pushes.Count(p => p.PushToken == device.PushToken);
        var (phoneBefore, watchBefore) = (PushesTo(phone), PushesTo(watch));
        Factory.Time.Advance(TimeSpan.FromSeconds(2));
        await pass.SetPointsAsync(Factory, 999);

        // Apple's "Adding a Web Service to Update Passes" (developer.apple.com/documentation/walletpasses/adding-a-web-service-to-update-passes):
        // on a change the server pushes every device registered for the pass; the payload is an empty JSON dictionary,
        // sent on the pass type identifier's topic.
        await Eventually.HoldsAsync(() => PushesTo(phone) > phoneBefore && PushesTo(watch) > watchBefore, "both devices are pushed");
        var pushes = SharedApns.Emulator.Pushes.Where(p => p.PushToken == phone.PushToken || p.PushToken == watch.PushToken).TakeLast(2).ToArray();
        Assert.All(pushes, push => Assert.Equal((pass.PassTypeIdentifier, "{}"), (push.Headers["apns-topic"], push.Body)));
        Assert.Equal([pass.SerialNumber], (await phone.ListChangedAsync(pass, phoneTag)).SerialNumbers);
        Assert.Equal([pass.SerialNumber], (await watch.ListChangedAsync(pass, watchTag)).SerialNumbers);

        Assert.Equal(HttpStatusCode.OK, (await phone.UnregisterAsync(pass)).StatusCode);
        Assert.Equal([pass.SerialNumber], (await watch.ListChangedAsync(pass)).SerialNumbers);
        Assert.Equal([watch.Id], (await StoredRegistrations.ForMemberAsync(Factory, pass.MemberId)).Select(r => r.DeviceLibraryIdentifier));
    }

    [Fact]
    public async Task A_device_with_two_passes_is_told_only_about_the_one_that_changed()
    {
        var first = await InstalledPass.IssueAsync(Factory);
        var second = await InstalledPass.IssueAsync(Factory);
        var device = new SimulatedDevice(Factory);
        await device.RegisterAsync(first);
        await device.RegisterAsync(second);

        var (all, tag) = await device.ListChangedAsync(first);
        Assert.Equal(new[] { first.SerialNumber, second.SerialNumber }.Order(StringComparer.Ordinal), all);
        Assert.Equal(HttpStatusCode.NoContent, (await device.ListAsync(first, tag)).StatusCode);

        Factory.Time.Advance(TimeSpan.FromSeconds(2));
        await second.SetPointsAsync(Factory, 500);
        var (changed, secondTag) = await device.ListChangedAsync(first, tag);
        Assert.Equal([second.SerialNumber], changed);

        Factory.Time.Advance(TimeSpan.FromSeconds(2));
        await first.SetPointsAsync(Factory, 600);
        Assert.Equal([first.SerialNumber], (await device.ListChangedAsync(first, secondTag)).SerialNumbers);
    }

    [Fact]
    public async Task Registering_again_with_a_new_push_token_keeps_one_registration_with_the_new_token()
    {
        var pass = await InstalledPass.IssueAsync(Factory);
        var device = new SimulatedDevice(Factory);
        await device.RegisterAsync(pass);

        device.PushToken = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var again = await device.RegisterAsync(pass);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var registration = Assert.Single(await StoredRegistrations.ForMemberAsync(Factory, pass.MemberId));
        Assert.Equal(device.PushToken, registration.PushToken);
    }

    [Fact]
    public async Task Unregistering_a_device_that_was_not_registered_is_200()
    {
        var pass = await InstalledPass.IssueAsync(Factory);

        var response = await new SimulatedDevice(Factory).UnregisterAsync(pass);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_Android_Wallet_Passes_app_with_its_AndroidPass_scheme_is_served_too()
    {
        var pass = await InstalledPass.IssueAsync(Factory);
        var android = new SimulatedDevice(Factory, authorizationScheme: "AndroidPass");

        Assert.Equal(HttpStatusCode.Created, (await android.RegisterAsync(pass)).StatusCode);
        Assert.Equal([pass.SerialNumber], (await android.ListChangedAsync(pass)).SerialNumbers);
        Assert.Equal(HttpStatusCode.OK, (await android.FetchPassAsync(pass)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await android.UnregisterAsync(pass)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await android.ListAsync(pass)).StatusCode);
    }

    [Fact]
    public async Task An_empty_tag_is_a_device_without_a_tag()
    {
        var pass = await InstalledPass.IssueAsync(Factory);
        var device = new SimulatedDevice(Factory);
        await device.RegisterAsync(pass);

        Assert.Equal([pass.SerialNumber], (await device.ListChangedAsync(pass, tag: "")).SerialNumbers);
    }

    [Fact]
    public async Task A_device_with_no_registrations_gets_204()
    {
        var pass = await InstalledPass.IssueAsync(Factory);

        Assert.Equal(HttpStatusCode.NoContent, (await new SimulatedDevice(Factory).ListAsync(pass)).StatusCode);
    }
}
