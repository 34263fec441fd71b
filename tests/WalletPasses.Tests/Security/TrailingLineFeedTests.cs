using System.Net;
using System.Net.Http.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Security;

/// <summary>
/// An identifier ending in a line feed, on every route that takes one: a 4xx problem, never a 500, and
/// nothing stored or queued. (.NET's <c>$</c> matches before a final "\n"; Table Storage refuses control
/// characters in keys, so such an id used to fail as a 500 after validation, or as an accepted event that never applied.)
/// </summary>
public sealed class TrailingLineFeedTests(AppFixture app) : IClassFixture<AppFixture>
{
    private WalletPassesFactory Factory => app.Factory;

    public static TheoryData<string> Cases => new()
    {
        "PUT member", "GET member", "DELETE member", "member language",
        "event id", "event member id", "event offer id", "event language",
        "staff key name", "revoke staff key",
        "validation location", "redemption location", "redemption idempotency key", "redemption perk id",
        "register device id", "register pass type", "register serial", "list device id", "unregister device id", "device pass serial",
        "pass download serial", "template image program",
    };

    /// <summary>
    /// docs/contract.md: an identifier ending in a control character is a 400. These answer what the route answers to
    /// any value nobody holds, so that they reveal nothing more: PassKit's unknown pass type (Apple's web service
    /// reference: 404 when the pass type is not this server's), an unknown program's image, a perk the pass does not
    /// offer, and a pass link whose signature does not cover the serial.
    /// </summary>
    private static readonly Dictionary<string, HttpStatusCode> NotA400 = new()
    {
        ["register pass type"] = HttpStatusCode.NotFound,
        ["template image program"] = HttpStatusCode.NotFound,
        ["redemption perk id"] = HttpStatusCode.UnprocessableEntity,
        ["pass download serial"] = HttpStatusCode.Forbidden,
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task An_identifier_ending_in_a_line_feed_is_a_4xx_problem_and_stores_nothing(string route)
    {
        var marker = "nl" + Guid.NewGuid().ToString("N")[..12];
        var bad = marker + "\n";
        var escaped = Uri.EscapeDataString(bad); // ...%0A, decoded back to "\n" in the route value
        using var backend = Factory.CreateBackendClient();
        using var staff = Factory.CreateStaffClient();
        using var anonymous = Factory.CreateClient();

        var response = route switch
        {
            "PUT member" => await backend.PutAsync($"/api/members/{escaped}", TestMembers.Json("""{"displayName": "Jane Doe", "points": 1, "tier": "silver"}""")),
            "GET member" => await backend.GetAsync($"/api/members/{escaped}"),
            "DELETE member" => await backend.DeleteAsync($"/api/members/{escaped}"),
            "member language" => await backend.PutAsync($"/api/members/{marker}", JsonContent.Create(new { displayName = "Jane Doe", points = 1, tier = "silver", language = "de\n" })),
            "event id" => await backend.PostAsync("/api/loyalty-events", TestMembers.Json(TestMembers.PointsEvent(await ExistingMemberAsync(backend), 1, 5, eventId: marker + "\\n"))),
            "event member id" => await backend.PostAsync("/api/loyalty-events", TestMembers.Json(TestMembers.PointsEvent(marker + "\\n", 1, 5))),
            "event offer id" => await backend.PostAsync("/api/loyalty-events", Event(await ExistingMemberAsync(backend), marker, "offer.published", "offer", new { id = bad, title = "Spring", text = "10% off" })),
            "event language" => await backend.PostAsync("/api/loyalty-events", Event(await ExistingMemberAsync(backend), marker, "profile.changed", "language", "en\n")),
            "staff key name" => await backend.PostAsync("/api/staff-keys", JsonContent.Create(new { name = bad })),
            "revoke staff key" => await backend.DeleteAsync($"/api/staff-keys/{escaped}"),
            "validation location" => await StaffTesting.ValidateAsync(staff, await BarcodeAsync(backend), bad),
            "redemption location" => await staff.PostAsync("/api/redemptions", JsonContent.Create(new { barcode = await BarcodeAsync(backend), perkId = "free-shipping", idempotencyKey = "key-" + marker, location = bad })),
            "redemption idempotency key" => await staff.PostAsync("/api/redemptions", JsonContent.Create(new { barcode = await BarcodeAsync(backend), perkId = "free-shipping", idempotencyKey = "key-" + bad })),
            "redemption perk id" => await staff.PostAsync("/api/redemptions", JsonContent.Create(new { barcode = await BarcodeAsync(backend), perkId = "free-shipping\n", idempotencyKey = "key-" + marker })),
            _ => await PassKitAsync(route, marker, escaped),
        };

        Assert.Equal(NotA400.GetValueOrDefault(route, HttpStatusCode.BadRequest), response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await AssertNothingStoredAsync(marker);
    }

    private async Task<HttpResponseMessage> PassKitAsync(string route, string marker, string escaped)
    {
        var pass = await InstalledPass.IssueAsync(Factory);
        var device = new SimulatedDevice(Factory);
        var registration = SimulatedDevice.JsonContent($$"""{"pushToken": "{{device.PushToken}}"}""");
        var authorization = device.Authorization(pass);
        switch (route)
        {
            case "register device id":
                return await device.SendAsync(HttpMethod.Post, pass, SimulatedDevice.RegistrationPath(escaped, pass.PassTypeIdentifier, pass.SerialNumber), authorization, registration);
            case "register pass type":
                return await device.SendAsync(HttpMethod.Post, pass, SimulatedDevice.RegistrationPath(marker, pass.PassTypeIdentifier + "%0A", pass.SerialNumber), authorization, registration);
            case "register serial":
                return await device.SendAsync(HttpMethod.Post, pass, SimulatedDevice.RegistrationPath(marker, pass.PassTypeIdentifier, pass.SerialNumber + "%0A"), authorization, registration);
            case "list device id":
                return await device.SendAsync(HttpMethod.Get, pass, $"/v1/devices/{escaped}/registrations/{pass.PassTypeIdentifier}");
            case "unregister device id":
                return await device.SendAsync(HttpMethod.Delete, pass, SimulatedDevice.RegistrationPath(escaped, pass.PassTypeIdentifier, pass.SerialNumber), authorization);
            case "device pass serial":
                return await device.SendAsync(HttpMethod.Get, pass, $"/v1/passes/{pass.PassTypeIdentifier}/{pass.SerialNumber}%0A", authorization);
            case "pass download serial":
                using (var backend = Factory.CreateBackendClient())
                {
                    var link = await TestMembers.PassUrlAsync(backend, pass.MemberId);
                    using var customer = Factory.CreateClient();
                    return await customer.GetAsync(link.AbsolutePath + "%0A" + link.Query);
                }

            case "template image program":
                using (var customer = Factory.CreateClient())
                {
                    return await customer.GetAsync("/api/templates/default%0A/images/icon.png");
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(route), route, "No such case.");
        }
    }

    /// <summary>A valid event of <paramref name="type"/> but for one field.</summary>
    private static JsonContent Event(string memberId, string marker, string type, string field, object value) => JsonContent.Create(new Dictionary<string, object>
    {
        ["eventId"] = "evt-" + marker,
        ["memberId"] = memberId,
        ["sequence"] = 1,
        ["occurredAt"] = "2026-11-23T10:00:00Z",
        ["type"] = type,
        [field] = value,
    });

    private static async Task<string> ExistingMemberAsync(HttpClient backend)
    {
        var memberId = TestMembers.NewId();
        await TestMembers.CreateAsync(backend, memberId);
        return memberId;
    }

    private async Task<string> BarcodeAsync(HttpClient backend) => (await StaffTesting.EnrolAsync(Factory, backend)).Barcode;

    /// <summary>No entity of this app's tables and no queued message mentions the marker.</summary>
    private async Task AssertNothingStoredAsync(string marker)
    {
        var tables = new TableServiceClient(app.Azurite.ConnectionString);
        await foreach (var table in tables.QueryAsync(t => t.Name.CompareTo(Factory.StoragePrefix) >= 0 && t.Name.CompareTo(Factory.StoragePrefix + "{") < 0))
        {
            await foreach (var entity in tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                var text = string.Join("|", entity.Select(p => p.Value?.ToString()).Append(entity.PartitionKey).Append(entity.RowKey));
                Assert.DoesNotContain(marker, text, StringComparison.Ordinal);
            }
        }

        foreach (var queue in new[] { "loyalty-events", "loyalty-events-poison" })
        {
            var client = new QueueClient(app.Azurite.ConnectionString, Factory.StoragePrefix + queue, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
            var peeked = (await client.PeekMessagesAsync(32)).Value;
            Assert.DoesNotContain(peeked, m => m.Body.ToString().Contains(marker, StringComparison.Ordinal));
        }
    }
}
