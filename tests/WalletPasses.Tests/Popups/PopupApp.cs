using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Delivery;
using WalletPasses.Popups;
using WalletPasses.Publishing;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Google;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Popups;

/// <summary>
/// One app of its own per test (pop-ups are program-wide state) over the shared Azurite, with Google Wallet on against
/// the Google Wallet fake and the run's APNs emulator; members with an iPhone registered for their pass.
/// </summary>
public sealed class PopupApp : IAsyncDisposable
{
    private PopupApp(GoogleWalletFake fake, WalletPassesFactory factory)
    {
        Google = fake;
        Factory = factory;
        Backend = factory.CreateBackendClient();
    }

    public GoogleWalletFake Google { get; }

    public WalletPassesFactory Factory { get; }

    public HttpClient Backend { get; }

    public static ApnsEmulator Apns => SharedApns.Emulator;

    public static async Task<PopupApp> StartAsync()
    {
        var azurite = await AzuriteServer.Shared;
        var fake = await GoogleWalletFake.StartAsync();
        var settings = GoogleAppFixture.GoogleSettings(fake, fake.WriteServiceAccountKeyFile());
        settings["WalletPasses:Popups:AnnounceBefore"] = "1.00:00:00";
        // The trace is written only when a test reads it (DeliveryAsync flushes): a timed flush landing a push's check
        // row without the device's fetch would make the re-push job, woken by a day's jump of the clock, push again.
        settings["WalletPasses:Delivery:TraceFlushDelay"] = "00:10:00";
        var factory = new WalletPassesFactory(azurite.ConnectionString, settings);
        using var client = factory.CreateClient();
        (await client.GetAsync(new Uri("/api/health", UriKind.Relative))).EnsureSuccessStatusCode();
        return new PopupApp(fake, factory);
    }

    /// <summary>A member of <paramref name="tier"/> whose pass is on an iPhone registered for its updates.</summary>
    public async Task<(InstalledPass Pass, SimulatedDevice Device)> MemberWithDeviceAsync(string tier = "gold")
    {
        using var customer = Factory.CreateClient();
        var pass = await InstalledPass.IssueAsync(Backend, customer, 1000, tier);
        var device = new SimulatedDevice(Factory);
        Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);
        return (pass, device);
    }

    public static string PopupJson(DateTimeOffset opensAt, double latitude = 52.5219, double longitude = 13.4132, string tiers = "[]", string name = "Berlin pop-up") =>
        $$"""
        {"name": "{{name}}", "address": "Alexanderplatz 1, 10178 Berlin", "latitude": {{latitude.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, "longitude": {{longitude.ToString(System.Globalization.CultureInfo.InvariantCulture)}},
         "opensAt": "{{opensAt:O}}", "closesAt": "{{opensAt.AddHours(8):O}}", "tiers": {{tiers}}, "relevantText": "{{name}} is around the corner"}
        """;

    public async Task<JsonElement> CreatePopupAsync(string json, string route = "/api/popups")
    {
        var response = await Backend.PostAsync(route, TestMembers.Json(json));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Runs the bulk re-issue until no publication of the program is running (as the host's timer would).</summary>
    public async Task RunReissueAsync()
    {
        var job = Factory.Services.GetRequiredService<BulkReissueJob>();
        var publications = Factory.Services.GetRequiredService<Publications>();
        for (var run = 0; run < 20 && (await publications.RunningAsync("default", default)).Count > 0; run++)
        {
            await job.RunOnceAsync(CancellationToken.None);
        }

        Assert.Empty(await publications.RunningAsync("default", default));
    }

    public Task RunTransitionsAsync() => Factory.Services.GetRequiredService<PopupTransitionsJob>().RunOnceAsync(CancellationToken.None);

    public static int PushesTo(SimulatedDevice device) => Apns.Pushes.Count(p => p.PushToken == device.PushToken);

    /// <summary>The pass.json the device gets when it fetches its pass now.</summary>
    public static async Task<JsonElement> FetchedPassJsonAsync(SimulatedDevice device, InstalledPass pass)
    {
        var response = await device.FetchPassAsync(pass);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new PkPass(await response.Content.ReadAsByteArrayAsync()).PassJson;
    }

    public static string[] RelevantTexts(JsonElement passJson) =>
        passJson.TryGetProperty("locations", out var locations) ? [.. locations.EnumerateArray().Select(l => l.GetProperty("relevantText").GetString()!)] : [];

    public async Task<JsonObject> GoogleObjectAsync(string memberId)
    {
        var member = await Backend.GetFromJsonAsync<JsonElement>($"/api/members/{memberId}");
        var objectId = member.GetProperty("google").GetProperty("objectId").GetString()!;
        JsonObject? stored = null;
        await Eventually.HoldsAsync(() => (stored = Google.StoredObjects.GetValueOrDefault(objectId)) is not null, "Google has the object");
        return stored!;
    }

    /// <summary>Google's object once it shows <paramref name="count"/> merchant locations (the sync runs after the re-issue's announcement).</summary>
    public async Task<JsonObject> GoogleObjectWithLocationsAsync(string memberId, int count)
    {
        var member = await Backend.GetFromJsonAsync<JsonElement>($"/api/members/{memberId}");
        var objectId = member.GetProperty("google").GetProperty("objectId").GetString()!;
        JsonObject? stored = null;
        await Eventually.HoldsAsync(
            () => (stored = Google.StoredObjects.GetValueOrDefault(objectId))?["merchantLocations"] is JsonArray locations && locations.Count == count,
            $"Google's object shows {count} merchant locations");
        return stored!;
    }

    public async Task<JsonElement> DeliveryAsync(string memberId)
    {
        await Factory.Services.GetRequiredService<DeliveryTrace>().FlushAsync(default);
        return await Backend.GetFromJsonAsync<JsonElement>($"/api/members/{memberId}/delivery");
    }

    public async ValueTask DisposeAsync()
    {
        Backend.Dispose();
        await Factory.DisposeAsync();
        await Google.DisposeAsync();
    }
}
