using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Staff;

/// <summary>Guessing staff keys: wrong keys are limited per client address before any key is accepted.</summary>
public sealed class StaffKeyFailureLimitTests(FailedKeyLimitFixture app) : IClassFixture<FailedKeyLimitFixture>
{
    [Fact]
    public async Task After_too_many_wrong_keys_an_address_gets_429_with_retry_after_even_with_the_right_key_and_others_do_not()
    {
        const string guesser = "203.0.113.7";
        for (var i = 0; i < FailedKeyLimitFixture.Failures; i++)
        {
            Assert.Equal(StatusCodes.Status401Unauthorized, (await ValidateAsync(guesser, $"wps_guess-{i:D4}-000000000000")).StatusCode);
        }

        var limited = await ValidateAsync(guesser, "wps_guess-next-000000000000");
        var withTheRightKey = await ValidateAsync(guesser, WalletPassesFactory.StaffKey);

        Assert.Equal(StatusCodes.Status429TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.ContentType?.Split(';')[0]);
        Assert.InRange(int.Parse(limited.Headers.RetryAfter.ToString(), System.Globalization.CultureInfo.InvariantCulture), 1, 3600);
        Assert.Equal(StatusCodes.Status429TooManyRequests, withTheRightKey.StatusCode);
        Assert.Equal(StatusCodes.Status200OK, (await ValidateAsync("198.51.100.20", WalletPassesFactory.StaffKey)).StatusCode);
    }

    [Fact]
    public async Task Requests_with_the_right_key_or_no_key_do_not_use_up_the_budget()
    {
        const string store = "192.0.2.44";
        for (var i = 0; i < FailedKeyLimitFixture.Failures * 2; i++)
        {
            Assert.Equal(StatusCodes.Status200OK, (await ValidateAsync(store, WalletPassesFactory.StaffKey)).StatusCode);
            Assert.Equal(StatusCodes.Status401Unauthorized, (await ValidateAsync(store, key: null)).StatusCode);
        }
    }

    [Fact]
    public async Task A_guesser_taking_a_new_ipv6_address_of_its_64_bit_prefix_per_key_is_still_one_client()
    {
        // The low 64 bits of an IPv6 address are the host's own choice (RFC 4291 §2.5.1; RFC 8981 rotates them).
        for (var i = 1; i <= FailedKeyLimitFixture.Failures; i++)
        {
            Assert.Equal(StatusCodes.Status401Unauthorized, (await ValidateAsync($"2001:db8:5:6::{i:x}", $"wps_guess-{i:D4}-000000000000")).StatusCode);
        }

        Assert.Equal(StatusCodes.Status429TooManyRequests, (await ValidateAsync("2001:db8:5:6:ffff::1", WalletPassesFactory.StaffKey)).StatusCode);
        Assert.Equal(StatusCodes.Status200OK, (await ValidateAsync("2001:db8:5:7::1", WalletPassesFactory.StaffKey)).StatusCode);
    }

    private async Task<HttpResponse> ValidateAsync(string client, string? key) =>
        (await app.Factory.Server.SendAsync(http =>
        {
            http.Request.Method = "POST";
            http.Request.Path = "/api/validations";
            http.Request.Host = new HostString("wallet.test");
            http.Request.ContentType = "application/json";
            http.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes("""{"barcode": "WP1.x.y"}"""));
            if (key is not null)
            {
                http.Request.Headers.Authorization = "Bearer " + key;
            }

            http.Connection.RemoteIpAddress = IPAddress.Parse(client);
        })).Response;
}
