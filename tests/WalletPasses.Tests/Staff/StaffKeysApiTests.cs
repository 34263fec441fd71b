using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Staff;

public sealed class StaffKeysApiTests(StaffFixture app) : IClassFixture<StaffFixture>
{
    private readonly HttpClient _backend = app.Factory.CreateBackendClient();

    private static string NewName() => "popup-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task A_created_key_is_shown_once_works_for_staff_routes_and_stops_working_when_revoked()
    {
        var name = NewName();
        var created = await _backend.PostAsync("/api/staff-keys", JsonContent.Create(new { name }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/staff-keys/{name}", created.Headers.Location?.OriginalString);
        var document = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(name, document.GetProperty("name").GetString());
        var key = document.GetProperty("key").GetString()!;
        Assert.StartsWith("wps_", key, StringComparison.Ordinal);
        Assert.True(key.Length >= 40);

        var (memberId, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend);
        var device = app.Factory.CreateClientWithKey(key);
        var scan = await StaffTesting.ValidateOkAsync(device, barcode, "popup-hamburg");
        Assert.True(scan.GetProperty("valid").GetBoolean());
        var me = await device.GetFromJsonAsync<JsonElement>("/api/staff/me");
        Assert.Equal(name, me.GetProperty("name").GetString());
        var published = await StaffTesting.ActivitiesAsync(StaffTesting.ActivityQueue(app), m => m.GetProperty("id").GetString() == scan.GetProperty("scanId").GetString());
        Assert.Equal(name, published[0].GetProperty("staffKey").GetString());
        Assert.Equal(memberId, published[0].GetProperty("memberId").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await _backend.DeleteAsync($"/api/staff-keys/{name}")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await StaffTesting.ValidateAsync(device, barcode)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _backend.DeleteAsync($"/api/staff-keys/{name}")).StatusCode); // revoking again is harmless
        var listed = (await _backend.GetFromJsonAsync<JsonElement>("/api/staff-keys")).GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("name").GetString() == name);
        Assert.Equal("api", listed.GetProperty("source").GetString());
        Assert.True(listed.TryGetProperty("createdAt", out _));
        Assert.True(listed.TryGetProperty("revokedAt", out _));
    }

    [Fact]
    public async Task A_revocation_reaches_another_instance_within_the_refresh_interval()
    {
        // A second instance of the app over the same storage, as in a scaled-out deployment.
        await using var other = new WalletPassesFactory(app.Azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["WalletPasses:Storage:NamePrefix"] = app.Factory.StoragePrefix,
            ["WalletPasses:Staff:KeyRefreshInterval"] = "00:00:10",
        });
        var name = NewName();
        var key = await CreateKeyAsync(name);
        var (_, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend);
        var device = other.CreateClientWithKey(key);
        Assert.Equal(HttpStatusCode.OK, (await StaffTesting.ValidateAsync(device, barcode)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await _backend.DeleteAsync($"/api/staff-keys/{name}")).StatusCode);
        other.Time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.Unauthorized, (await StaffTesting.ValidateAsync(device, barcode)).StatusCode);
    }

    [Fact]
    public async Task A_revoked_key_stops_working_on_an_instance_that_cannot_re_read_the_keys_after_MaxKeyStaleness()
    {
        // Two instances over their own storage names, so the outage below touches no other test.
        await using var first = new WalletPassesFactory(app.Azurite.ConnectionString);
        await using var other = new WalletPassesFactory(app.Azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["WalletPasses:Storage:NamePrefix"] = first.StoragePrefix,
            ["WalletPasses:Staff:KeyRefreshInterval"] = "00:00:10",
            ["WalletPasses:Staff:MaxKeyStaleness"] = "00:02:00",
        });
        var name = NewName();
        var created = await first.CreateBackendClient().PostAsync("/api/staff-keys", JsonContent.Create(new { name }));
        var device = other.CreateClientWithKey((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await device.GetAsync("/api/staff/me")).StatusCode);

        // Revoked through the first instance; the other one can no longer read the key table.
        Assert.Equal(HttpStatusCode.NoContent, (await first.CreateBackendClient().DeleteAsync($"/api/staff-keys/{name}")).StatusCode);
        await app.Azurite.Tables.DeleteTableAsync(first.StoragePrefix + "staffkeys");
        other.Time.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(HttpStatusCode.OK, (await device.GetAsync("/api/staff/me")).StatusCode); // a short hiccup is tolerated

        other.Time.Advance(TimeSpan.FromMinutes(2));
        var closed = await device.GetAsync("/api/staff/me");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, closed.StatusCode);
        Assert.Equal("application/problem+json", closed.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(closed.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, (await other.CreateStaffClient().GetAsync("/api/staff/me")).StatusCode); // keys from the settings need no storage
    }

    [Fact]
    public async Task Listing_names_keys_from_settings_and_the_api_but_never_a_key_or_its_hash()
    {
        var name = NewName();
        var key = await CreateKeyAsync(name);

        var response = await _backend.GetAsync("/api/staff-keys");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var keys = JsonDocument.Parse(text).RootElement.GetProperty("keys").EnumerateArray().ToArray();
        Assert.Contains(keys, k => k.GetProperty("name").GetString() == "tests" && k.GetProperty("source").GetString() == "settings");
        var listed = keys.Single(k => k.GetProperty("name").GetString() == name);
        Assert.False(listed.TryGetProperty("revokedAt", out _));
        Assert.DoesNotContain(key, text, StringComparison.Ordinal);
        Assert.DoesNotContain(WalletPassesFactory.StaffKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_are_stored_as_their_sha256_only()
    {
        var name = NewName();
        var key = await CreateKeyAsync(name);

        var row = (await app.Azurite.Tables.GetTableClient(app.Factory.StoragePrefix + "staffkeys").GetEntityAsync<TableEntity>("staff-key", name)).Value;

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))), row.GetString("KeyHash"));
        Assert.DoesNotContain(row, property => property.Value is string s && s.Contains(key[4..], StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_staff_key_never_reaches_backend_routes()
    {
        var device = app.Factory.CreateClientWithKey(await CreateKeyAsync(NewName()));

        Assert.Equal(HttpStatusCode.Unauthorized, (await device.GetAsync($"/api/members/{TestMembers.NewId()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await device.PostAsync("/api/staff-keys", JsonContent.Create(new { name = NewName() }))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await device.GetAsync("/api/staff-keys")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await device.PostAsync("/api/loyalty-events", TestMembers.Json("[]"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Factory.CreateStaffClient().GetAsync("/api/staff-keys")).StatusCode);
    }

    [Fact]
    public async Task Names_are_unique_and_never_reused_and_settings_keys_are_managed_in_the_settings()
    {
        var name = NewName();
        await CreateKeyAsync(name);
        Assert.Equal(HttpStatusCode.Conflict, (await _backend.PostAsync("/api/staff-keys", JsonContent.Create(new { name }))).StatusCode);
        await _backend.DeleteAsync($"/api/staff-keys/{name}");
        Assert.Equal(HttpStatusCode.Conflict, (await _backend.PostAsync("/api/staff-keys", JsonContent.Create(new { name }))).StatusCode);

        Assert.Equal(HttpStatusCode.Conflict, (await _backend.PostAsync("/api/staff-keys", JsonContent.Create(new { name = "tests" }))).StatusCode);
        var revokeConfigured = await _backend.DeleteAsync("/api/staff-keys/tests");
        Assert.Equal(HttpStatusCode.Conflict, revokeConfigured.StatusCode);
        Assert.Equal("application/problem+json", revokeConfigured.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await _backend.DeleteAsync($"/api/staff-keys/{NewName()}")).StatusCode);
    }

    [Theory]
    [InlineData("""{"name": ""}""")]
    [InlineData("""{"name": "has space"}""")]
    [InlineData("""{"name": "-starts-with-dash"}""")]
    [InlineData("""{}""")]
    public async Task Bad_names_are_400(string body)
    {
        var response = await _backend.PostAsync("/api/staff-keys", TestMembers.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<string> CreateKeyAsync(string name)
    {
        var response = await _backend.PostAsync("/api/staff-keys", JsonContent.Create(new { name }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }
}
