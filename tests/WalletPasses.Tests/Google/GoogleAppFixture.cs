using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Delivery;
using WalletPasses.Events;
using WalletPasses.Google;
using WalletPasses.Members;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Google;

/// <summary>
/// The real app with Google Wallet on, over the run's Azurite, talking to its own <see cref="GoogleWalletFake"/>
/// (API, OAuth token endpoint and callback root keys). One per test class, so a class may break "Google" at will.
/// </summary>
public sealed class GoogleAppFixture : IAsyncLifetime
{
    public const string ClassId = GoogleWalletTestData.IssuerId + ".walletpasses-default";

    public GoogleWalletFake Fake { get; private set; } = null!;

    public WalletPassesFactory Factory { get; private set; } = null!;

    public AzuriteServer Azurite { get; private set; } = null!;

    public string KeyFile { get; private set; } = null!;

    /// <summary>Signs callbacks with a root key the fake publishes at the app's CallbackKeysUrl.</summary>
    public GoogleCallbackSigner Callbacks { get; } = new();

    /// <summary>Another platform's notifier (Apple's stand-in): hears of every version however Google fares.</summary>
    public RecordingPassNotifier OtherPlatform { get; } = new();

    public LoyaltyEventProcessor Processor => Factory.Services.GetRequiredService<LoyaltyEventProcessor>();

    public static Dictionary<string, string?> GoogleSettings(GoogleWalletFake fake, string keyFile) => new()
    {
        ["WalletPasses:Google:IssuerId"] = GoogleWalletTestData.IssuerId,
        ["WalletPasses:Google:ApiBaseUrl"] = fake.ApiBaseUrl.AbsoluteUri,
        ["WalletPasses:Google:ServiceAccountKeyFile"] = keyFile,
        ["WalletPasses:Google:CallbackKeysUrl"] = fake.CallbackKeysUrl.AbsoluteUri,
        ["WalletPasses:Google:RequestsPerSecond"] = "1000",
        // Fail fast against the fake; the app's own retry loop (driven through the factory's clock) does the rest.
        ["WalletPasses:Google:MaxRetryAttempts"] = "1",
        ["WalletPasses:Google:RetryBaseDelay"] = "00:00:00.010",
        ["WalletPasses:Google:MaxRetryDelay"] = "00:00:00.010",
    };

    public async Task InitializeAsync()
    {
        Azurite = await AzuriteServer.Shared;
        Fake = await GoogleWalletFake.StartAsync();
        KeyFile = Fake.WriteServiceAccountKeyFile();
        Fake.PublishCallbackRootKey(Callbacks.RootKey.ExportSubjectPublicKeyInfo(), DateTimeOffset.UtcNow.AddYears(1));
        Factory = new WalletPassesFactory(Azurite.ConnectionString, GoogleSettings(Fake, KeyFile))
        {
            ConfigureTestServices = services => services.AddSingleton<IPassChangeNotifier>(OtherPlatform),
        };
        using var client = Factory.CreateClient();
        (await client.GetAsync(new Uri("/api/health", UriKind.Relative))).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Fake.DisposeAsync();
        Callbacks.Dispose();
    }

    /// <summary>A client without credentials, as a customer's browser (redirects not followed).</summary>
    public HttpClient CreateCustomerClient() =>
        Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri(WalletPassesFactory.PublicBaseUrl) });

    /// <summary>Creates a member over the API; returns the member document.</summary>
    public async Task<JsonElement> CreateMemberAsync(string memberId, string body = """{"displayName": "Jane Doe", "points": 1000, "tier": "gold", "referralUrl": "https://shop.example/r/JANE10"}""")
    {
        var response = await Factory.CreateBackendClient().PutAsync($"/api/members/{memberId}", TestMembers.Json(body));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public TableClient Table(string name) => Azurite.Tables.GetTableClient(Factory.StoragePrefix + name);

    /// <summary>The member's announcement (the outbox row) while Google has not got its version, else null.</summary>
    public async Task<PassAnnouncementEntity?> GooglePendingAsync(string memberId)
    {
        var row = await Table("members").GetEntityIfExistsAsync<PassAnnouncementEntity>(memberId, PassAnnouncementEntity.RowKeyValue);
        return row.HasValue && row.Value!.PendingPlatforms.Contains(GooglePassNotifier.PlatformName) ? row.Value : null;
    }

    public JsonObject? StoredObject(string objectId) => Fake.StoredObjects.GetValueOrDefault(objectId);

    /// <summary>The API requests about one object (its insert names it in the body only).</summary>
    public IReadOnlyList<RecordedRequest> RequestsFor(string objectId) =>
        [.. Fake.ApiRequests.Where(request => request.Path.Contains(objectId, StringComparison.Ordinal) || request.Body.Contains($"\"id\":\"{objectId}\"", StringComparison.Ordinal))];

    public IReadOnlyList<JsonObject> BodiesOf(string objectId, string method, string pathEnd = "") =>
        [.. RequestsFor(objectId).Where(request => request.Method == method && request.Path.EndsWith(objectId + pathEnd, StringComparison.Ordinal)).Select(request => JsonNode.Parse(request.Body)!.AsObject())];

    /// <summary>The bodies of the app's class writes (insert, update, patch), as sent: stored, Google shows its own review status.</summary>
    public IReadOnlyList<JsonObject> ClassWriteBodies() =>
        [.. Fake.ApiRequests.Where(request => request.Path.Contains("/loyaltyClass", StringComparison.Ordinal) && request.Method is "POST" or "PUT" or "PATCH")
            .Select(request => JsonNode.Parse(request.Body)!.AsObject())];

    public RSA ServiceAccountPublicKey()
    {
        using var keyFile = JsonDocument.Parse(File.ReadAllText(KeyFile));
        using var privateKey = RSA.Create();
        privateKey.ImportFromPem(keyFile.RootElement.GetProperty("private_key").GetString());
        var publicKey = RSA.Create();
        publicKey.ImportSubjectPublicKeyInfo(privateKey.ExportSubjectPublicKeyInfo(), out _);
        return publicKey;
    }
}

/// <summary>Loyalty events as the backend would send them, for the app's own processor.</summary>
public static class GoogleTestEvents
{
    public static LoyaltyEvent Points(string memberId, long sequence, long points) =>
        Event(memberId, sequence, LoyaltyEventTypes.PointsChanged, points: points);

    public static LoyaltyEvent Tier(string memberId, long sequence, string tier) =>
        Event(memberId, sequence, LoyaltyEventTypes.TierChanged, tier: tier);

    public static LoyaltyEvent Offer(string memberId, long sequence, string offerId, string title, string text, DateTimeOffset? expiresAt = null) =>
        Event(memberId, sequence, LoyaltyEventTypes.OfferPublished, offer: new OfferInput(offerId, title, text, expiresAt));

    public static LoyaltyEvent OfferWithdrawn(string memberId, long sequence, string offerId) =>
        Event(memberId, sequence, LoyaltyEventTypes.OfferWithdrawn, offer: new OfferInput(offerId, null, null, null));

    private static LoyaltyEvent Event(string memberId, long sequence, string type, long? points = null, string? tier = null, OfferInput? offer = null) =>
        new($"evt-{Guid.NewGuid():N}", memberId, sequence, DateTimeOffset.UtcNow, type, points, tier, null, null, null, offer);
}
