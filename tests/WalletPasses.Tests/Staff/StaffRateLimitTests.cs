using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Staff;

public sealed class StaffRateLimitTests(RateLimitFixture app) : IClassFixture<RateLimitFixture>
{
    [Fact]
    public async Task A_staff_key_over_its_limit_gets_429_with_retry_after_and_other_keys_are_unaffected()
    {
        var backend = app.Factory.CreateBackendClient();
        var (_, barcode) = await StaffTesting.EnrolAsync(app.Factory, backend);
        var device = await NewDeviceAsync();
        var other = app.Factory.CreateStaffClient();

        for (var i = 0; i < RateLimitFixture.Permits; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await StaffTesting.ValidateAsync(device, barcode)).StatusCode);
        }

        var limited = await StaffTesting.ValidateAsync(device, barcode);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.InRange(limited.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, 3600);

        // Redemptions share the key's budget.
        using var redemption = new HttpRequestMessage(HttpMethod.Post, "/api/redemptions") { Content = JsonContent.Create(new { barcode, perkId = "free-shipping" }) };
        redemption.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.TooManyRequests, (await device.SendAsync(redemption)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await StaffTesting.ValidateAsync(other, barcode)).StatusCode);
    }

    [Fact]
    public async Task The_pop_up_list_shares_the_staff_key_s_budget()
    {
        var device = await NewDeviceAsync();
        for (var i = 0; i < RateLimitFixture.Permits; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await device.GetAsync("/api/staff/popups")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await device.GetAsync("/api/staff/popups")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await StaffTesting.ValidateAsync(device, "WP1.x.y")).StatusCode);
    }

    [Fact]
    public async Task Requests_without_a_valid_key_are_401_not_counted()
    {
        var anonymous = app.Factory.CreateClient();
        for (var i = 0; i < RateLimitFixture.Permits + 2; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await StaffTesting.ValidateAsync(anonymous, "WP1.x.y")).StatusCode);
        }
    }

    /// <summary>A client with a new staff key of its own, so its budget is untouched.</summary>
    private async Task<HttpClient> NewDeviceAsync()
    {
        var created = await app.Factory.CreateBackendClient().PostAsync("/api/staff-keys", JsonContent.Create(new { name = "rate-" + Guid.NewGuid().ToString("N")[..8] }));
        return app.Factory.CreateClientWithKey((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!);
    }
}
