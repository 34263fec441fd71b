using System.Net.Http.Json;
using System.Text.Json;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Google;

/// <summary>
/// Two instances of one deployment over one storage, as the Functions host scales out, with Google Wallet on against
/// one fake. Each instance has its own clock, caches and in-process locks. The second reaches tables through a
/// <see cref="TableRequestCounter"/>, which tells what it read (say, a lease the first holds).
/// </summary>
public sealed class GoogleTwoInstances : IAsyncDisposable
{
    private GoogleTwoInstances(GoogleWalletFake fake, WalletPassesFactory first, WalletPassesFactory second, TableRequestCounter secondTables) =>
        (Fake, First, Second, SecondTables) = (fake, first, second, secondTables);

    public GoogleWalletFake Fake { get; }

    public WalletPassesFactory First { get; }

    public WalletPassesFactory Second { get; }

    /// <summary>The second instance's table requests.</summary>
    public TableRequestCounter SecondTables { get; }

    /// <param name="overrides">Settings both instances run with besides the fake's.</param>
    public static async Task<GoogleTwoInstances> StartAsync(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var azurite = await AzuriteServer.Shared;
        var fake = await GoogleWalletFake.StartAsync();
        var settings = GoogleAppFixture.GoogleSettings(fake, fake.WriteServiceAccountKeyFile());
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var first = new WalletPassesFactory(azurite.ConnectionString, settings);
        var ports = azurite.Ports;
        var secondTables = await TableRequestCounter.StartAsync(new Uri($"http://127.0.0.1:{ports[2]}/"));
        var second = new WalletPassesFactory(
            AzuriteServer.ConnectionStringFor([ports[0], ports[1], secondTables.Port]),
            new Dictionary<string, string?>(settings) { ["WalletPasses:Storage:NamePrefix"] = first.StoragePrefix });
        var instances = new GoogleTwoInstances(fake, first, second, secondTables);
        foreach (var instance in new[] { first, second })
        {
            (await instance.CreateClient().GetAsync(new Uri("/api/health", UriKind.Relative))).EnsureSuccessStatusCode();
        }

        return instances;
    }

    /// <summary>A gold member with 1,000 points, created through the first instance, once Google has the object.</summary>
    public async Task<(string MemberId, string ObjectId)> CreateMemberAsync()
    {
        var memberId = TestMembers.NewId();
        using var backend = First.CreateBackendClient();
        var created = await backend.PutAsync($"/api/members/{memberId}", TestMembers.Json("""{"displayName": "Jane Doe", "points": 1000, "tier": "gold"}"""));
        created.EnsureSuccessStatusCode();
        var objectId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("google").GetProperty("objectId").GetString()!;
        await Eventually.HoldsAsync(() => Fake.StoredObjects.ContainsKey(objectId), "Google has the object");
        return (memberId, objectId);
    }

    /// <summary>The points balance the object shows at Google.</summary>
    public int Balance(string objectId) => Fake.StoredObjects[objectId]["loyaltyPoints"]!["balance"]!["int"]!.GetValue<int>();

    public async ValueTask DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
        await SecondTables.DisposeAsync();
        await Fake.DisposeAsync();
    }
}
