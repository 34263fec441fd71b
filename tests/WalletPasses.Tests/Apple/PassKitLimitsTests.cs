using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using WalletPasses.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Apple;

/// <summary>
/// What someone holding one pass (its serial number and authenticationToken, as in any .pkpass) can make the
/// PassKit web service do, against limits low enough to reach in a test. Apple's device calls are those of
/// "Register a Pass for Update Notifications" (https://developer.apple.com/documentation/walletpasses/register-a-pass-for-update-notifications).
/// </summary>
public sealed class PassKitLimitsTests(PassKitLimitsTests.LowLimits app) : IClassFixture<PassKitLimitsTests.LowLimits>
{
    public sealed class LowLimits : AppFixture
    {
        protected override IDictionary<string, string?> SettingOverrides => new Dictionary<string, string?>
        {
            ["WalletPasses:Apple:PassKit:MaxDevicesPerPass"] = "3",
            ["WalletPasses:Apple:PassKit:RegistrationsPerPassPerHour"] = "6",
            ["WalletPasses:Apple:PassKit:FailedAuthenticationsPerPassPerMinute"] = "3",
        };
    }

    private WalletPassesFactory Factory => app.Factory;

    [Fact]
    public async Task A_pass_keeps_only_its_most_recent_devices_and_only_they_are_pushed()
    {
        var pass = await InstalledPass.IssueAsync(Factory);
        var devices = Enumerable.Range(0, 5).Select(_ => new SimulatedDevice(Factory)).ToArray();
        foreach (var device in devices)
        {
            Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);
            Factory.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var kept = devices[^3..];
        Assert.Equal(
            kept.Select(d => d.Id).Order(StringComparer.Ordinal),
            (await StoredRegistrations.ForMemberAsync(Factory, pass.MemberId)).Select(r => r.DeviceLibraryIdentifier).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.NoContent, (await devices[0].ListAsync(pass)).StatusCode);

        await pass.SetPointsAsync(Factory, 777);
        var pushed = SharedApns.Emulator.Pushes.Select(p => p.PushToken).ToHashSet();
        Assert.All(kept, d => Assert.Contains(d.PushToken, pushed));
        Assert.All(devices[..2], d => Assert.DoesNotContain(d.PushToken, pushed));
    }

    [Fact]
    public async Task Registrations_beyond_the_hourly_limit_of_a_pass_are_answered_429_with_retry_after()
    {
        var pass = await InstalledPass.IssueAsync(Factory);
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await new SimulatedDevice(Factory).RegisterAsync(pass)).StatusCode);
        }

        var refused = await new SimulatedDevice(Factory).RegisterAsync(pass);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.Created, (await new SimulatedDevice(Factory).RegisterAsync(await InstalledPass.IssueAsync(Factory))).StatusCode);
    }

    /// <summary>
    /// A pass's serial number is no secret (it is in the pass, seen by whoever scans or is shown it): wrong tokens sent
    /// for it, from anywhere, are answered 429 once the pass has had its share, but they never keep the pass's own
    /// devices, which hold the right token, from their updates.
    /// </summary>
    [Fact]
    public async Task After_the_failed_authentications_allowed_for_a_pass_wrong_tokens_wait_and_its_own_devices_do_not()
    {
        var pass = await InstalledPass.IssueAsync(Factory);
        var guesser = new SimulatedDevice(Factory);
        var path = $"/v1/passes/{pass.PassTypeIdentifier}/{pass.SerialNumber}";
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.SendAsync(HttpMethod.Get, pass, path, $"ApplePass guess-{i:D4}-000000000000000000")).StatusCode);
        }

        var blocked = await guesser.SendAsync(HttpMethod.Get, pass, path, $"ApplePass guess-9999-000000000000000000");
        var rightToken = await new SimulatedDevice(Factory).FetchPassAsync(pass);

        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Equal("application/problem+json", blocked.Content.Headers.ContentType?.MediaType);
        Assert.True(blocked.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.OK, rightToken.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await new SimulatedDevice(Factory).RegisterAsync(pass)).StatusCode);
    }
}

/// <summary>Failed authentications are limited per client address too, across passes.</summary>
public sealed class PassKitClientLimitTests(PassKitClientLimitTests.LowLimits app) : IClassFixture<PassKitClientLimitTests.LowLimits>
{
    public sealed class LowLimits : AppFixture
    {
        protected override IDictionary<string, string?> SettingOverrides => new Dictionary<string, string?>
        {
            ["WalletPasses:Apple:PassKit:FailedAuthenticationsPerClientPerMinute"] = "4",
        };
    }

    [Fact]
    public async Task A_client_that_failed_too_often_is_answered_429_on_every_pass()
    {
        var factory = app.Factory;
        var device = new SimulatedDevice(factory);
        for (var i = 0; i < 4; i++)
        {
            var someonesPass = await InstalledPass.IssueAsync(factory);
            Assert.Equal(HttpStatusCode.Unauthorized, (await device.SendAsync(HttpMethod.Get, someonesPass, $"/v1/passes/{someonesPass.PassTypeIdentifier}/{someonesPass.SerialNumber}", "ApplePass wrong-0000000000000000000")).StatusCode);
        }

        var ownPass = await InstalledPass.IssueAsync(factory);
        var response = await device.RegisterAsync(ownPass);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Empty(await StoredRegistrations.ForMemberAsync(factory, ownPass.MemberId));
    }
}

/// <summary>The anonymous device log endpoint cannot be used as a log flood, nor by another origin's web page.</summary>
public sealed class PassKitLogLimitTests(PassKitLogLimitTests.LowLimits app) : IClassFixture<PassKitLogLimitTests.LowLimits>
{
    public sealed class LowLimits : AppFixture
    {
        protected override IDictionary<string, string?> SettingOverrides => new Dictionary<string, string?>
        {
            ["WalletPasses:Apple:PassKit:LogRequestsPerClientPerMinute"] = "3",
        };
    }

    private static readonly Uri LogUrl = new("https://wallet.test/api/passkit/v1/log");

    private static string Logs(params string[] entries) => JsonSerializer.Serialize(new { logs = entries });

    [Theory]
    [InlineData(null)] // fetch() with a string body and no headers
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    public async Task A_body_that_is_not_declared_json_is_refused_415(string? contentType)
    {
        // What a page on another origin can send without a CORS preflight ("simple" requests).
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Logs("forged")));
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        var response = await app.Factory.CreateClient().PostAsync(LogUrl, content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_client_posting_too_often_is_answered_429_with_retry_after()
    {
        using var client = app.Factory.CreateClient();
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await client.PostAsync(LogUrl, new StringContent(Logs($"entry {i}"), Encoding.UTF8, "application/json")));
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], answers.Select(a => a.StatusCode));
        Assert.True(answers[^1].Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task A_client_taking_a_new_ipv6_address_of_its_64_bit_prefix_per_post_still_gets_one_allowance()
    {
        // A host picks the low 64 bits of its IPv6 addresses itself (RFC 4291 §2.5.1, RFC 8981): each post from a new
        // one must not be a new client. Another /64 is another client.
        var answers = new List<int>();
        for (var i = 1; i <= 4; i++)
        {
            answers.Add(await PostLogFromAsync($"2001:db8:77:1::{i:x}"));
        }

        Assert.Equal([StatusCodes.Status200OK, StatusCodes.Status200OK, StatusCodes.Status200OK, StatusCodes.Status429TooManyRequests], answers);
        Assert.Equal(StatusCodes.Status200OK, await PostLogFromAsync("2001:db8:77:2::1"));
    }

    private async Task<int> PostLogFromAsync(string client) =>
        (await app.Factory.Server.SendAsync(http =>
        {
            http.Request.Method = "POST";
            http.Request.Path = LogUrl.AbsolutePath;
            http.Request.Host = new HostString(LogUrl.Host);
            http.Request.ContentType = "application/json";
            http.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(Logs("rotating")));
            http.Connection.RemoteIpAddress = IPAddress.Parse(client);
        })).Response.StatusCode;
}
