using System.Net;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Apple;

/// <summary>
/// Device refetches across app instances over one Azurite, as the Functions host scales out. Apple's "Send an Updated
/// Pass" (https://developer.apple.com/documentation/walletpasses/send-an-updated-pass): the device presents
/// <c>ApplePass {authenticationToken}</c> and If-Modified-Since and gets the current pass or 304; "Get the List of
/// Updatable Passes" (https://developer.apple.com/documentation/walletpasses/get-the-list-of-updatable-passes) names the
/// passes changed since its tag. A version is built once per instance and kept in memory; whichever instance commits
/// the next version, no instance may answer with the one it kept.
/// </summary>
public sealed class PassRefetchTests(AppFixture app) : IClassFixture<AppFixture>
{
    private WalletPassesFactory OtherInstance() => new(app.Azurite.ConnectionString, new Dictionary<string, string?>
    {
        ["WalletPasses:Storage:NamePrefix"] = app.Factory.StoragePrefix,
    });

    private static async Task<long> PointsOnAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new PkPass(await response.Content.ReadAsByteArrayAsync()).Field("primaryFields", "points").GetProperty("value").GetInt64();
    }

    [Fact]
    public async Task A_version_kept_in_memory_by_one_instance_is_never_served_after_another_instance_commits_the_next()
    {
        await using var other = OtherInstance();
        var pass = await InstalledPass.IssueAsync(app.Factory, points: 100);
        var device = new SimulatedDevice(app.Factory);
        var held = await device.FetchPassAsync(pass); // built here and kept in this instance's memory
        Assert.Equal(100, await PointsOnAsync(held));
        Assert.Equal(100, await PointsOnAsync(await device.FetchPassAsync(pass)));

        other.Time.Advance(TimeSpan.FromSeconds(5));
        await pass.SetPointsAsync(other, 200);

        Assert.Equal(200, await PointsOnAsync(await device.FetchPassAsync(pass, ifModifiedSince: held.Content.Headers.LastModified)));
        Assert.Equal(200, await PointsOnAsync(await device.FetchPassAsync(pass)));
        var onOther = await new SimulatedDevice(other).FetchPassAsync(pass);
        Assert.Equal(200, await PointsOnAsync(onOther));
        Assert.Equal(HttpStatusCode.NotModified, (await device.FetchPassAsync(pass, ifModifiedSince: onOther.Content.Headers.LastModified)).StatusCode);
    }

    [Fact]
    public async Task A_token_revoked_through_another_instance_is_refused_at_once()
    {
        await using var other = OtherInstance();
        var pass = await InstalledPass.IssueAsync(app.Factory);
        var device = new SimulatedDevice(app.Factory);
        Assert.Equal(HttpStatusCode.OK, (await device.FetchPassAsync(pass)).StatusCode);

        using var backend = other.CreateBackendClient();
        Assert.Equal(HttpStatusCode.NoContent, (await backend.PostAsync($"/api/members/{pass.MemberId}/apple-pass/revoke-token", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await device.FetchPassAsync(pass)).StatusCode);
    }

    [Fact]
    public async Task The_list_call_names_a_pass_whose_next_version_another_instance_committed()
    {
        await using var other = OtherInstance();
        var pass = await InstalledPass.IssueAsync(app.Factory);
        var unchanged = await InstalledPass.IssueAsync(app.Factory);
        var device = new SimulatedDevice(app.Factory);
        Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(unchanged)).StatusCode);
        var (_, tag) = await device.ListChangedAsync(pass);

        await pass.SetPointsAsync(other, 500);
        var (changed, _) = await device.ListChangedAsync(pass, tag);

        Assert.Equal([pass.SerialNumber], changed);
        Assert.Equal(500, await PointsOnAsync(await device.FetchPassAsync(pass)));
    }
}
