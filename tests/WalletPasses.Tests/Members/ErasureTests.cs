using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Delivery;
using WalletPasses.Members;
using WalletPasses.Storage;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Google;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Members;

/// <summary>
/// The right to erasure, end to end: a member with a registered iPhone, applied events, an alert deferred by quiet
/// hours, a Google object installed (a signed save callback), a staff scan, a perk and a points redemption (whose
/// webhook is down) is erased with <c>DELETE /api/members/{id}</c>. Then every table, blob container and queue of the
/// app's storage is searched for the member's id, name and the device's push token, and what is found must be exactly
/// what README's "Data protection" section says is kept; after the longest retention period (and the sweep) only
/// what it keeps for good. Device calls follow Apple's PassKit web service reference (see <see cref="SimulatedDevice"/>);
/// the save callback is signed as Google's "Callbacks" guide describes (see <see cref="GoogleCallbackSigner"/>).
/// </summary>
public sealed class ErasureTests(ErasureFixture app) : IClassFixture<ErasureFixture>
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Fact]
    public async Task An_erased_member_leaves_only_the_documented_rows_and_the_retention_sweep_takes_all_but_the_tombstones()
    {
        var factory = app.Factory;
        using var backend = factory.CreateBackendClient();
        using var staff = factory.CreateStaffClient();
        AdvanceToLocal(new TimeOnly(23, 0)); // quiet hours in Berlin: the tier upgrade's alert is deferred to the morning
        var memberId = TestMembers.NewId();
        var firstName = "Zeb" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var displayName = firstName + " Marlowe";
        var created = await backend.PutAsync($"/api/members/{memberId}", TestMembers.Json($$"""{"displayName": "{{displayName}}", "points": 2000, "tier": "silver", "referralUrl": "https://shop.example/r/{{firstName}}", "language": "de", "timeZone": "Europe/Berlin"}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var document = await created.Content.ReadFromJsonAsync<JsonElement>();
        var pass = await InstallAsync(document);
        var device = new SimulatedDevice(factory);
        Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);

        Assert.Equal(HttpStatusCode.Accepted, (await backend.PostAsync("/api/loyalty-events", TestMembers.Json(
            $$"""[{{TestMembers.TierEvent(memberId, 1, "gold")}}, {{TestMembers.PointsEvent(memberId, 2, 2500)}}, {"eventId": "evt-{{Guid.NewGuid():N}}", "memberId": "{{memberId}}", "sequence": 3, "occurredAt": "2026-11-23T10:00:00Z", "type": "offer.published", "offer": {"id": "spring", "title": "Spring for {{firstName}}", "text": "10% off"} }]"""))).StatusCode);
        var current = await TestMembers.WaitForAsync(backend, memberId, m => m.GetProperty("tier").GetString() == "gold" && m.GetProperty("points").GetInt64() == 2500);
        await Eventually.HoldsAsync(async () => await RowCountAsync(memberId, "event|") == 3, "the three events applied");
        await device.ListChangedAsync(pass);
        Assert.Equal(HttpStatusCode.OK, (await device.FetchPassAsync(pass)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GoogleCallbackAsync(document.GetProperty("google").GetProperty("objectId").GetString()!, "save")).StatusCode);
        var barcode = await StaffTesting.BarcodeOfAsync(factory, current);
        Assert.Equal(firstName + " M.", (await StaffTesting.ValidateOkAsync(staff, barcode)).GetProperty("member").GetProperty("displayName").GetString());
        Assert.Equal(HttpStatusCode.OK, (await RedeemAsync(staff, new { barcode, perkId = "birthday-drink" })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await RedeemAsync(staff, new { barcode, points = 100 })).StatusCode);
        await app.Webhook.WaitForAsync(1); // tried once, refused: the request stays stored for the webhook job
        var personal = new Dictionary<string, string>
        {
            ["member id"] = memberId,
            ["name"] = firstName, // the staff view shows the first name only
            ["push token"] = device.PushToken,
        };
        var before = await FindAsync(personal);
        Assert.Contains(before, f => f.Value == "name");
        Assert.Contains(before, f => f.Value == "push token");
        Assert.Contains(before, f => f.Store == "table alertsdue");

        Assert.Equal(HttpStatusCode.NoContent, (await backend.DeleteAsync($"/api/members/{memberId}")).StatusCode);
        await Eventually.HoldsAsync(
            async () => (await factory.Services.GetRequiredService<StorageClients>().Members.GetEntityIfExistsAsync<PassAnnouncementEntity>(memberId, PassAnnouncementEntity.RowKeyValue)).Value!.PendingPlatforms.Count == 0,
            "Apple and Google heard of the voided pass");
        await device.ListChangedAsync(pass); // the phone learns its pass is voided
        Assert.Equal(HttpStatusCode.OK, (await device.FetchPassAsync(pass)).StatusCode);
        await factory.Services.GetRequiredService<DeliveryTrace>().FlushAsync(default);

        var afterErasure = Kinds(await FindAsync(personal));
        string[] keptAfterErasure =
        [
            .. KeptForGood,
            // The phones must still find and fetch the voided pass: registrations stay DeliveryTrace (30 days).
            "table members [member]: push token", // the row's copy of its registrations
            "table members [reg|]: member id",
            "table members [reg|]: push token",
            "table devices []: member id",
            "table members [event|]: member id", // applied events, AppliedEvents (14 days)
            "table members [trace|]: member id", // the delivery trace, DeliveryTrace (30 days)
            "table deliverytrace [check]: member id",
            "table scans []: member id", // Scans (365 days)
            "table alertsdue []: member id", // the deferred alert's index row, until its job finds the member erased
            "table announcementsdue []: member id", // the outbox's retry index, until its job finds the version delivered
            "table pointswebhook []: member id", // the backend's own request, until delivered or given up
            "queue pass-activity [message]: member id", // the backend's messages, until it reads them (7 days at most)
        ];
        Assert.Equal(Lines(keptAfterErasure), Lines(afterErasure));

        factory.Time.Advance(TimeSpan.FromDays(366));
        var webhook = factory.Services.GetRequiredService<WalletPasses.Staff.PointsWebhookJob>();
        for (var attempt = 0; attempt < 10; attempt++)
        {
            await webhook.RunOnceAsync(default); // the webhook stays down: the request is given up after its retries
            factory.Time.Advance(TimeSpan.FromMinutes(5));
        }

        await factory.Services.GetRequiredService<DeferredAlertsJob>().RunOnceAsync(default);
        await factory.Services.GetRequiredService<StaleAnnouncementsJob>().RunOnceAsync(default);
        // The jobs above trace what they did (rows dated now, flushed off the request path): the sweep takes those
        // once they are past DeliveryTrace (30 days) too.
        await factory.Services.GetRequiredService<DeliveryTrace>().FlushAsync(default);
        factory.Time.Advance(TimeSpan.FromDays(31));
        await factory.Services.GetRequiredService<RetentionSweepJob>().RunOnceAsync(default);
        var afterRetention = Kinds(await FindAsync(personal)).Where(kind => !kind.StartsWith("queue ", StringComparison.Ordinal)); // queue messages live 7 days on storage's own clock
        Assert.Equal(Lines(KeptForGood), Lines(afterRetention));

        var telemetry = app.Telemetry();
        Assert.Contains(telemetry, line => line.Contains(memberId, StringComparison.Ordinal)); // member ids may be logged (README, Data protection)
        var leaks = new Dictionary<string, string> { ["name"] = firstName, ["push token"] = device.PushToken, ["authenticationToken"] = pass.AuthenticationToken }
            .SelectMany(secret => telemetry.Where(line => line.Contains(secret.Value, StringComparison.Ordinal)).Select(line => $"{secret.Key} in: {line}"))
            .Take(5)
            .ToArray();
        Assert.Empty(leaks);
    }

    /// <summary>
    /// Privacy of the tombstone: nothing needs the erased member's time zone, alert preference or alert history (the
    /// voided version is silent, erasure and its retries answer 204 without them, a member enrolled again under the id
    /// starts from the defaults), so the member row keeps none of them, nor an alert deferred by quiet hours.
    /// </summary>
    [Fact]
    public async Task An_erased_members_tombstone_keeps_no_time_zone_alert_preference_or_alert_history()
    {
        using var backend = app.Factory.CreateBackendClient();
        AdvanceToLocal(new TimeOnly(23, 0)); // quiet hours in Berlin: the tier upgrade's alert is deferred
        var memberId = TestMembers.NewId();
        const string Profile = """{"displayName": "Ilse Brandt", "points": 100, "tier": "{0}", "timeZone": "Europe/Berlin", "notifications": "important"}""";
        Assert.Equal(HttpStatusCode.Created, (await backend.PutAsync($"/api/members/{memberId}", TestMembers.Json(Profile.Replace("{0}", "silver", StringComparison.Ordinal)))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await backend.PutAsync($"/api/members/{memberId}", TestMembers.Json(Profile.Replace("{0}", "gold", StringComparison.Ordinal)))).StatusCode);
        Assert.NotNull(EventState.Parse((await MemberRowAsync(memberId)).EventStateJson).Deferred);

        Assert.Equal(HttpStatusCode.NoContent, (await backend.DeleteAsync($"/api/members/{memberId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await backend.DeleteAsync($"/api/members/{memberId}")).StatusCode); // a retried erasure

        var tombstone = await MemberRowAsync(memberId);
        Assert.Null(tombstone.TimeZone);
        Assert.Null(tombstone.NotificationPreference);
        var state = EventState.Parse(tombstone.EventStateJson);
        Assert.Null(state.Deferred);
        Assert.Empty(state.AlertTimes);
        var enrolledAgain = await backend.PutAsync($"/api/members/{memberId}", TestMembers.Json("""{"displayName": "New Person", "points": 5, "tier": "silver"}"""));
        Assert.Equal(HttpStatusCode.Created, enrolledAgain.StatusCode);
        var document = await enrolledAgain.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("all", document.GetProperty("notifications").GetString());
        Assert.False(document.TryGetProperty("timeZone", out var zone) && zone.ValueKind != JsonValueKind.Null, "the program's default zone, not the erased member's");
    }

    private async Task<MemberEntity> MemberRowAsync(string memberId) =>
        (await app.Factory.Services.GetRequiredService<StorageClients>().Members.GetEntityAsync<MemberEntity>(memberId, MemberEntity.RowKeyValue)).Value;

    /// <summary>
    /// What stays for good, none of it naming the member but by their id: the erased member row (events sent for them are
    /// set aside, tier and event sequences only), the pass index (the barcode answers voided), the voided version's
    /// announcement, the Google object's state (voided) and install state, and the claims on limited perks.
    /// </summary>
    private static readonly string[] KeptForGood =
    [
        "table members [member]: member id",
        "table members [announcement]: member id",
        "table members [google]: member id",
        "table members [google-install]: member id",
        "table members [perk|]: member id",
        "table passes [pass]: member id",
    ];

    private void AdvanceToLocal(TimeOnly local)
    {
        var now = app.Factory.Time.GetUtcNow();
        var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Berlin).DateTime);
        var instant = Enumerable.Range(0, 2)
            .Select(day => date.AddDays(day).ToDateTime(local))
            .Select(time => new DateTimeOffset(time, Berlin.GetUtcOffset(time)))
            .First(candidate => candidate > now);
        app.Factory.Time.SetUtcNow(instant);
    }

    private async Task<InstalledPass> InstallAsync(JsonElement document)
    {
        using var customer = app.Factory.CreateClient();
        var pkpass = new PkPass(await customer.GetByteArrayAsync(new Uri(new Uri(document.GetProperty("apple").GetProperty("passUrl").GetString()!).PathAndQuery, UriKind.Relative)));
        string Field(string name) => pkpass.PassJson.GetProperty(name).GetString()!;
        return new InstalledPass(document.GetProperty("memberId").GetString()!, Field("serialNumber"), Field("passTypeIdentifier"), Field("authenticationToken"), Field("webServiceURL"));
    }

    private async Task<HttpResponseMessage> GoogleCallbackAsync(string objectId, string eventType)
    {
        var now = app.Factory.Time.GetUtcNow();
        var message = GoogleCallbackSigner.Message(GoogleAppFixture.ClassId, objectId, eventType, now.AddMinutes(5), Guid.NewGuid().ToString());
        using var google = app.Factory.CreateClient();
        return await google.PostAsync("/api/google/callbacks", new StringContent(app.Callbacks.Callback(message, GoogleWalletTestData.IssuerId, now.AddDays(7)), Encoding.UTF8, "application/json"));
    }

    private static async Task<HttpResponseMessage> RedeemAsync(HttpClient staff, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/redemptions") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return await staff.SendAsync(request);
    }

    private async Task<int> RowCountAsync(string memberId, string rowKeyPrefix)
    {
        var count = 0;
        var members = app.Factory.Services.GetRequiredService<StorageClients>().Members;
        await foreach (var _ in members.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {memberId} and RowKey ge {rowKeyPrefix} and RowKey lt {TableRows.RangeEnd(rowKeyPrefix)}"), select: ["RowKey"]))
        {
            count++;
        }

        return count;
    }

    private Task<IReadOnlyList<StorageAccountScan.Finding>> FindAsync(IReadOnlyDictionary<string, string> values) =>
        StorageAccountScan.FindAsync(app.Azurite.ConnectionString, app.Factory.StoragePrefix, values, RowKind);

    /// <summary>A row's kind: in <c>members</c> its RowKey up to the first '|' (<c>event|</c>, <c>reg|</c>, <c>member</c>), elsewhere its fixed keys only.</summary>
    private static string RowKind(string table, TableEntity row) => table switch
    {
        "members" => row.RowKey.Contains('|', StringComparison.Ordinal) ? row.RowKey[..(row.RowKey.IndexOf('|', StringComparison.Ordinal) + 1)] : row.RowKey,
        "passes" => row.RowKey,
        "deliverytrace" => row.PartitionKey.Split('|')[0],
        _ => "",
    };

    /// <summary>One line each, in order: a failure shows every unexpected or missing leftover.</summary>
    private static string Lines(IEnumerable<string> kinds) => string.Join("\n", kinds.Order(StringComparer.Ordinal));

    private static string[] Kinds(IEnumerable<StorageAccountScan.Finding> findings) =>
        [.. findings.Select(f => $"{f.Store} [{f.Row}]: {f.Value}").Distinct().Order(StringComparer.Ordinal)];
}
