using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Apple;

/// <summary>
/// A pass's authenticationToken (pass.json, https://developer.apple.com/documentation/walletpasses/pass): devices
/// present it as <c>Authorization: ApplePass {token}</c> on every call for the pass, so it must stay what the
/// pass on the device says, across a rotation of the signing secret, until an operator revokes it.
/// </summary>
public sealed class AuthenticationTokenTests(AppFixture app) : IClassFixture<AppFixture>
{
    private WalletPassesFactory Factory => app.Factory;

    [Fact]
    public async Task After_the_signing_secret_is_rotated_devices_keep_working_with_the_token_their_pass_carries()
    {
        var pass = await InstalledPass.IssueAsync(Factory, points: 100);
        var before = new SimulatedDevice(Factory);
        Assert.Equal(HttpStatusCode.Created, (await before.RegisterAsync(pass)).StatusCode);

        // The same storage, restarted with a new secret.
        await using var rotated = new WalletPassesFactory(app.Azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["WalletPasses:Storage:NamePrefix"] = Factory.StoragePrefix,
            ["WalletPasses:SigningSecret"] = "rotated-signing-secret-9876543210-9876543210",
        });
        await pass.SetPointsAsync(rotated, 250);
        var device = new SimulatedDevice(rotated) { Id = before.Id, PushToken = before.PushToken };

        Assert.Equal([pass.SerialNumber], (await device.ListChangedAsync(pass)).SerialNumbers);
        var fetched = await device.FetchPassAsync(pass);
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        var updated = new PkPass(await fetched.Content.ReadAsByteArrayAsync());
        Assert.Equal(250, updated.Field("primaryFields", "points").GetProperty("value").GetInt64());
        Assert.Equal(pass.AuthenticationToken, updated.PassJson.GetProperty("authenticationToken").GetString());
        Assert.Equal(HttpStatusCode.Created, (await new SimulatedDevice(rotated).RegisterAsync(pass)).StatusCode);
    }

    [Fact]
    public async Task A_revoked_token_is_refused_its_devices_are_dropped_and_the_reissued_pass_works()
    {
        var pass = await InstalledPass.IssueAsync(Factory);
        var device = new SimulatedDevice(Factory);
        await device.RegisterAsync(pass);
        using var backend = Factory.CreateBackendClient();

        var revoked = await backend.PostAsync($"/api/members/{pass.MemberId}/apple-pass/revoke-token", content: null);

        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await device.FetchPassAsync(pass)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await new SimulatedDevice(Factory).RegisterAsync(pass)).StatusCode);
        Assert.Empty(await StoredRegistrations.ForMemberAsync(Factory, pass.MemberId));

        var member = await backend.GetFromJsonAsync<JsonElement>($"/api/members/{pass.MemberId}");
        using var customer = Factory.CreateClient();
        var reissued = new PkPass(await customer.GetByteArrayAsync(member.GetProperty("apple").GetProperty("passUrl").GetString()));
        var newToken = reissued.PassJson.GetProperty("authenticationToken").GetString()!;
        Assert.NotEqual(pass.AuthenticationToken, newToken);
        Assert.Equal(pass.SerialNumber, reissued.PassJson.GetProperty("serialNumber").GetString());
        var readded = pass with { AuthenticationToken = newToken };
        Assert.Equal(HttpStatusCode.Created, (await new SimulatedDevice(Factory).RegisterAsync(readded)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await new SimulatedDevice(Factory).FetchPassAsync(readded)).StatusCode);
    }

    [Fact]
    public async Task Revoking_the_token_retires_the_pass_links_issued_before_and_the_new_link_downloads()
    {
        var pass = await InstalledPass.IssueAsync(Factory);
        using var backend = Factory.CreateBackendClient();
        using var customer = Factory.CreateClient();
        var leakedLink = (await backend.GetFromJsonAsync<JsonElement>($"/api/members/{pass.MemberId}")).GetProperty("apple").GetProperty("passUrl").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await customer.GetAsync(leakedLink)).StatusCode);

        (await backend.PostAsync($"/api/members/{pass.MemberId}/apple-pass/revoke-token", content: null)).EnsureSuccessStatusCode();

        // The link went round with the pass: it would hand whoever holds it the pass with the new token.
        using (var leaked = await customer.GetAsync(leakedLink))
        {
            Assert.Equal(HttpStatusCode.Gone, leaked.StatusCode);
            Assert.Equal("application/problem+json", leaked.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain("authenticationToken", await leaked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var newLink = (await backend.GetFromJsonAsync<JsonElement>($"/api/members/{pass.MemberId}")).GetProperty("apple").GetProperty("passUrl").GetString()!;
        Assert.NotEqual(leakedLink, newLink);
        var reissued = new PkPass(await customer.GetByteArrayAsync(newLink));
        Assert.NotEqual(pass.AuthenticationToken, reissued.PassJson.GetProperty("authenticationToken").GetString());
    }

    [Fact]
    public async Task A_link_made_before_links_carried_a_token_tag_still_downloads_until_it_expires()
    {
        var pass = await InstalledPass.IssueAsync(Factory);
        using var customer = Factory.CreateClient();

        // The link format of earlier releases (sent to customers by email, valid for the link lifetime): no tag, an
        // HMAC over purpose, serial and expiry with the same derived key.
        var expires = Factory.Time.GetUtcNow().AddDays(1).ToUnixTimeSeconds();
        var key = Factory.Services.GetRequiredService<WalletPasses.Security.DerivedKeys>().PassLink;
        var signature = System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.HMACSHA256.HashData(
            key, System.Text.Encoding.UTF8.GetBytes($"{WalletPasses.Apple.PassLinkKind.ApplePass.Purpose}|{pass.SerialNumber}|{expires}")));
        var earlier = $"/api/apple/passes/{pass.SerialNumber}?expires={expires}&signature={signature}";

        Assert.Equal(HttpStatusCode.OK, (await customer.GetAsync(earlier)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync(earlier + "&tag=AAAAAAAAAAA")).StatusCode); // a tag is signed with the link
    }

    [Fact]
    public async Task Only_the_backend_key_revokes_and_an_unknown_member_is_404()
    {
        var pass = await InstalledPass.IssueAsync(Factory);
        using var staff = Factory.CreateStaffClient();
        using var backend = Factory.CreateBackendClient();

        var byStaff = await staff.PostAsync($"/api/members/{pass.MemberId}/apple-pass/revoke-token", content: null);
        var unknown = await backend.PostAsync("/api/members/nobody-here/apple-pass/revoke-token", content: null);

        Assert.True(byStaff.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"{byStaff.StatusCode}");
        Assert.Equal(HttpStatusCode.OK, (await new SimulatedDevice(Factory).FetchPassAsync(pass)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
    }
}
