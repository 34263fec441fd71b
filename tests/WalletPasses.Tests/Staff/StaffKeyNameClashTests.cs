using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Staff;

/// <summary>
/// A staff key's name is its identity: the rate limit counts per name, scans are logged under it, and the API revokes
/// by it. A key from the settings and one created through the API under the same name would act as one, so whichever
/// came second yields: the API refuses a name the settings use, and a settings key given the name of an API key is
/// refused and reported.
/// </summary>
public sealed class StaffKeyNameClashTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string SettingsKey = "settings-key-for-the-clash-0001";

    [Fact]
    public async Task Creating_a_key_named_like_a_settings_key_is_a_conflict_naming_the_setting()
    {
        var response = await app.Factory.CreateBackendClient().PostAsync("/api/staff-keys", JsonContent.Create(new { name = "TESTS" })); // the settings have "tests"

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("WalletPasses:ApiKeys:Staff", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_settings_key_given_the_name_of_an_API_key_is_refused_and_reported_and_the_API_key_keeps_working()
    {
        var name = "clash-" + Guid.NewGuid().ToString("N")[..8];
        var created = await app.Factory.CreateBackendClient().PostAsync("/api/staff-keys", JsonContent.Create(new { name }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var apiKey = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;

        // The operator then adds WalletPasses__ApiKeys__Staff__<the same name> to the settings and restarts over the same storage.
        var logs = new LogCapture();
        await using var restarted = new WalletPassesFactory(app.Azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["WalletPasses:Storage:NamePrefix"] = app.Factory.StoragePrefix,
            [$"WalletPasses:ApiKeys:Staff:{name}"] = SettingsKey,
        })
        {
            ConfigureTestServices = services => services.AddLogging(logging => logging.AddProvider(logs)),
        };

        // Before the fix: both answered 200 as one name, sharing one rate limit and scan log.
        var store = await restarted.CreateClientWithKey(apiKey).GetFromJsonAsync<JsonElement>("/api/staff/me");
        Assert.Equal(name, store.GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await restarted.CreateClientWithKey(SettingsKey).GetAsync("/api/staff/me")).StatusCode);

        var health = await (await restarted.CreateClient().GetAsync("/api/health")).Content.ReadFromJsonAsync<JsonElement>();
        // Anonymous health says a settings key is refused, but not whose (the name is often a person's); the log names it.
        Assert.Contains(health.GetProperty("reasons").EnumerateArray(), reason => reason.GetString()!.StartsWith("1 staff key(s) under the setting WalletPasses:ApiKeys:Staff are refused", StringComparison.Ordinal));
        Assert.DoesNotContain(name, health.GetRawText(), StringComparison.Ordinal);
        Assert.Contains(logs.Lines, line => line.Contains(name, StringComparison.Ordinal) && line.Contains("refused", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, line => line.Contains(SettingsKey, StringComparison.Ordinal) || line.Contains(apiKey, StringComparison.Ordinal));

        // The API key stays revocable through the API (before: 409, "comes from the settings").
        Assert.Equal(HttpStatusCode.NoContent, (await restarted.CreateBackendClient().DeleteAsync($"/api/staff-keys/{name}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await restarted.CreateClientWithKey(apiKey).GetAsync("/api/staff/me")).StatusCode);
    }
}
