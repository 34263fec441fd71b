using System.Net;
using System.Text;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Apple;

/// <summary>
/// Pass versions as devices see them through Apple's web service: "Get the List of Updatable Passes"
/// (https://developer.apple.com/documentation/walletpasses/get-the-list-of-updatable-passes) and "Send an Updated
/// Pass" (https://developer.apple.com/documentation/walletpasses/send-an-updated-pass, If-Modified-Since / 304).
/// The test clock is frozen, so every change below happens within one second unless a test advances it.
/// </summary>
public sealed class PassVersionTests(AppFixture app) : IClassFixture<AppFixture>
{
    private WalletPassesFactory Factory => app.Factory;

    [Fact]
    public async Task A_pass_changed_in_the_same_second_as_another_pass_of_the_device_is_not_skipped()
    {
        var first = await InstalledPass.IssueAsync(Factory, points: 100);
        var second = await InstalledPass.IssueAsync(Factory, points: 100);
        var device = new SimulatedDevice(Factory);
        await device.RegisterAsync(first);
        await device.RegisterAsync(second);
        var (_, tag) = await device.ListChangedAsync(first);

        Factory.Time.Advance(TimeSpan.FromSeconds(5));
        await first.SetPointsAsync(Factory, 200);
        var (changed, afterFirst) = await device.ListChangedAsync(first, tag);
        await second.SetPointsAsync(Factory, 300); // same second as the first change, after the device asked

        Assert.Equal([first.SerialNumber], changed);
        var (changedLater, afterSecond) = await device.ListChangedAsync(first, afterFirst);
        Assert.Equal([second.SerialNumber], changedLater);
        Assert.Equal(HttpStatusCode.NoContent, (await device.ListAsync(first, afterSecond)).StatusCode);
    }

    [Fact]
    public async Task A_second_version_in_the_same_second_is_not_stamped_ahead_of_the_clock_nor_hidden_by_304()
    {
        var pass = await InstalledPass.IssueAsync(Factory, points: 100);
        var device = new SimulatedDevice(Factory);
        Factory.Time.Advance(TimeSpan.FromSeconds(5));
        await pass.SetPointsAsync(Factory, 200);
        var held = await device.FetchPassAsync(pass);
        var heldSince = held.Content.Headers.LastModified;

        await pass.SetPointsAsync(Factory, 300);
        await pass.SetPointsAsync(Factory, 400);
        var refetch = await device.FetchPassAsync(pass, ifModifiedSince: heldSince);

        Assert.Equal(HttpStatusCode.OK, refetch.StatusCode);
        Assert.Equal(400, new PkPass(await refetch.Content.ReadAsByteArrayAsync()).Field("primaryFields", "points").GetProperty("value").GetInt64());
        Assert.True(refetch.Content.Headers.LastModified <= Factory.Time.GetUtcNow(), $"Last-Modified {refetch.Content.Headers.LastModified:O} is after the clock {Factory.Time.GetUtcNow():O}");

        // Once a later second has its own version, the device's copy of it is answered 304 again.
        Factory.Time.Advance(TimeSpan.FromSeconds(2));
        await pass.SetPointsAsync(Factory, 500);
        var current = await device.FetchPassAsync(pass);
        Assert.Equal(HttpStatusCode.NotModified, (await device.FetchPassAsync(pass, ifModifiedSince: current.Content.Headers.LastModified)).StatusCode);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("99999999999999999999999")]
    [InlineData("v1.0123456789ab-")]
    public async Task An_unreadable_tag_is_treated_as_absent_and_lists_every_pass(string tag)
    {
        var pass = await InstalledPass.IssueAsync(Factory);
        var device = new SimulatedDevice(Factory);
        await device.RegisterAsync(pass);

        var (serials, newTag) = await device.ListChangedAsync(pass, tag);

        Assert.Equal([pass.SerialNumber], serials);
        Assert.Equal(HttpStatusCode.NoContent, (await device.ListAsync(pass, newTag)).StatusCode);
    }

    [Fact]
    public async Task A_put_that_changes_nothing_makes_no_new_version_and_pushes_nobody()
    {
        var pass = await InstalledPass.IssueAsync(Factory, points: 100);
        var device = new SimulatedDevice(Factory);
        await device.RegisterAsync(pass);
        var (_, tag) = await device.ListChangedAsync(pass);
        var lastModified = (await device.FetchPassAsync(pass)).Content.Headers.LastModified;
        Factory.Time.Advance(TimeSpan.FromSeconds(5));

        await pass.SetPointsAsync(Factory, 100);

        Assert.Equal(HttpStatusCode.NoContent, (await device.ListAsync(pass, tag)).StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, (await device.FetchPassAsync(pass, ifModifiedSince: lastModified)).StatusCode);
        Assert.DoesNotContain(SharedApns.Emulator.Pushes, push => push.PushToken == device.PushToken);

        // The same PUT with a change does push (the pushes above would have been seen).
        await pass.SetPointsAsync(Factory, 101);
        Assert.Contains(SharedApns.Emulator.Pushes, push => push.PushToken == device.PushToken);
    }

    [Fact]
    public async Task A_put_that_changes_nothing_answers_200_with_the_member()
    {
        var pass = await InstalledPass.IssueAsync(Factory, points: 100);
        using var backend = Factory.CreateBackendClient();

        var response = await backend.PutAsync(
            $"/api/members/{pass.MemberId}",
            new StringContent("""{"displayName": "Jane Doe", "points": 100, "tier": "gold"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(pass.SerialNumber, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
