using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Events;

public sealed class LoyaltyEventsApiTests(IngestionOnlyFixture app) : IClassFixture<IngestionOnlyFixture>
{
    private readonly HttpClient _backend = app.Factory.CreateBackendClient();

    private QueueClient Queue => new(app.Azurite.ConnectionString, app.Factory.StoragePrefix + "loyalty-events", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    private async Task<List<JsonElement>> QueuedEventsForAsync(string memberId)
    {
        var messages = await Queue.PeekMessagesAsync(32);
        return messages.Value.Select(m => JsonDocument.Parse(m.MessageText).RootElement)
            .Where(e => e.GetProperty("memberId").GetString() == memberId).ToList();
    }

    [Fact]
    public async Task One_event_is_accepted_with_202_and_lands_on_the_queue_as_base64_JSON()
    {
        var memberId = TestMembers.NewId();

        var response = await _backend.PostAsync("/api/loyalty-events", TestMembers.Json(TestMembers.PointsEvent(memberId, 17, 1300)));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
        var queued = Assert.Single(await QueuedEventsForAsync(memberId));
        Assert.Equal(1300, queued.GetProperty("points").GetInt64());
        Assert.Equal(17, queued.GetProperty("sequence").GetInt64());
    }

    [Fact]
    public async Task A_batch_is_accepted_whole()
    {
        var memberId = TestMembers.NewId();
        var batch = "[" + string.Join(",", Enumerable.Range(1, 5).Select(i => TestMembers.PointsEvent(memberId, i, i * 100))) + "]";

        var response = await _backend.PostAsync("/api/loyalty-events", TestMembers.Json(batch));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(5, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
        Assert.Equal(5, (await QueuedEventsForAsync(memberId)).Count);
    }

    [Fact]
    public async Task A_batch_with_bad_events_is_refused_whole_naming_each_bad_event()
    {
        var memberId = TestMembers.NewId();
        var batch = $$"""
            [{{TestMembers.PointsEvent(memberId, 1, 100)}},
             {"eventId": "evt-x", "memberId": "{{memberId}}", "sequence": 2, "occurredAt": "2026-11-23T10:00:00Z", "type": "points.changed", "points": -5},
             {"eventId": "evt-y", "memberId": "{{memberId}}", "sequence": 3, "occurredAt": "2026-11-23T10:00:00Z", "type": "teleported"},
             {"eventId": "evt-z", "memberId": "{{memberId}}", "sequence": "four", "occurredAt": "2026-11-23T10:00:00Z", "type": "points.changed", "points": 5}]
            """;

        var response = await _backend.PostAsync("/api/loyalty-events", TestMembers.Json(batch));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("[1].points", out _));
        Assert.True(errors.TryGetProperty("[2].type", out _));
        Assert.Contains(errors.EnumerateObject(), e => e.Name.StartsWith("[3]", StringComparison.Ordinal));
        Assert.DoesNotContain(errors.EnumerateObject(), e => e.Name.StartsWith("[0]", StringComparison.Ordinal));
        Assert.Empty(await QueuedEventsForAsync(memberId));
    }

    public static TheoryData<string, string> BadEvents => new()
    {
        { "tier.changed without tier", """{"eventId": "e1", "memberId": "m-1", "sequence": 1, "occurredAt": "2026-11-23T10:00:00Z", "type": "tier.changed"}""" },
        { "unknown tier", """{"eventId": "e1", "memberId": "m-1", "sequence": 1, "occurredAt": "2026-11-23T10:00:00Z", "type": "tier.changed", "tier": "diamond"}""" },
        { "offer without title", """{"eventId": "e1", "memberId": "m-1", "sequence": 1, "occurredAt": "2026-11-23T10:00:00Z", "type": "offer.published", "offer": {"id": "w", "text": "x"}}""" },
        { "missing eventId", """{"memberId": "m-1", "sequence": 1, "occurredAt": "2026-11-23T10:00:00Z", "type": "points.changed", "points": 1}""" },
        { "eventId with a slash", """{"eventId": "a/b", "memberId": "m-1", "sequence": 1, "occurredAt": "2026-11-23T10:00:00Z", "type": "points.changed", "points": 1}""" },
        { "negative sequence", """{"eventId": "e1", "memberId": "m-1", "sequence": -1, "occurredAt": "2026-11-23T10:00:00Z", "type": "points.changed", "points": 1}""" },
        { "bad date", """{"eventId": "e1", "memberId": "m-1", "sequence": 1, "occurredAt": "yesterday", "type": "points.changed", "points": 1}""" },
        { "unknown property", """{"eventId": "e1", "memberId": "m-1", "sequence": 1, "occurredAt": "2026-11-23T10:00:00Z", "type": "points.changed", "points": 1, "bonus": 5}""" },
        { "empty array", "[]" },
        { "a number", "42" },
        { "malformed", """{"eventId": """ },
    };

    [Theory]
    [MemberData(nameof(BadEvents))]
    public async Task Bad_events_are_400_problem_details(string because, string body)
    {
        var response = await _backend.PostAsync("/api/loyalty-events", TestMembers.Json(body));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{because}: {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>
    /// A date-time without its UTC offset would be read in the server's own time zone (.NET's reading takes it as local
    /// time), so the same offer would expire hours apart on an instance whose TZ or WEBSITE_TIME_ZONE differs. RFC 3339
    /// section 5.6 (https://www.rfc-editor.org/rfc/rfc3339#section-5.6): a date-time carries "Z" or a numeric offset.
    /// </summary>
    [Theory]
    [InlineData("offer.expiresAt", "2026-11-23T10:00:00Z", "2026-12-24T00:00:00")]
    [InlineData("offer.expiresAt", "2026-11-23T10:00:00Z", "2026-12-24")]
    [InlineData("occurredAt", "2026-11-23T10:00:00", "2026-12-24T00:00:00Z")]
    [InlineData("occurredAt", "2026-11-23T10:00:00.123", "2026-12-24T00:00:00Z")]
    public async Task A_date_without_its_utc_offset_is_refused_naming_the_field_because_its_instant_would_depend_on_the_server(string field, string occurredAt, string expiresAt)
    {
        var memberId = TestMembers.NewId();
        var body = $$"""[{{OfferEvent(memberId, occurredAt, expiresAt)}}]""";

        var response = await _backend.PostAsync("/api/loyalty-events", TestMembers.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("UTC offset", errors.GetProperty("[0]." + field)[0].GetString(), StringComparison.Ordinal);
        Assert.Empty(await QueuedEventsForAsync(memberId));
    }

    [Theory]
    [InlineData("2026-12-24T00:00:00Z")]
    [InlineData("2026-12-24T00:00:00+01:00")]
    [InlineData("2026-12-23T18:00:00-05:00")]
    public async Task A_date_with_its_offset_is_kept_as_that_instant(string expiresAt)
    {
        var memberId = TestMembers.NewId();

        var response = await _backend.PostAsync("/api/loyalty-events", TestMembers.Json(OfferEvent(memberId, "2026-11-23T10:00:00+01:00", expiresAt)));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var queued = Assert.Single(await QueuedEventsForAsync(memberId));
        Assert.Equal(DateTimeOffset.Parse(expiresAt, System.Globalization.CultureInfo.InvariantCulture), queued.GetProperty("offer").GetProperty("expiresAt").GetDateTimeOffset());
    }

    private static string OfferEvent(string memberId, string occurredAt, string expiresAt) =>
        $$$"""{"eventId": "evt-{{{Guid.NewGuid():N}}}", "memberId": "{{{memberId}}}", "sequence": 1, "occurredAt": "{{{occurredAt}}}", "type": "offer.published", "offer": {"id": "winter", "title": "Winter drop", "text": "Early access", "expiresAt": "{{{expiresAt}}}"}}""";

    [Fact]
    public async Task More_than_100_events_or_an_oversized_body_are_refused()
    {
        var memberId = TestMembers.NewId();
        var tooMany = "[" + string.Join(",", Enumerable.Range(1, 101).Select(i => TestMembers.PointsEvent(memberId, i, i))) + "]";
        var huge = "[" + string.Join(",", Enumerable.Range(1, 3000).Select(i => TestMembers.PointsEvent(memberId, i, i))) + "]";

        Assert.Equal(HttpStatusCode.BadRequest, (await _backend.PostAsync("/api/loyalty-events", TestMembers.Json(tooMany))).StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await _backend.PostAsync("/api/loyalty-events", TestMembers.Json(huge))).StatusCode);
        Assert.Empty(await QueuedEventsForAsync(memberId));
    }

    [Fact]
    public async Task Staff_keys_cannot_post_events()
    {
        var response = await app.Factory.CreateStaffClient().PostAsync("/api/loyalty-events", TestMembers.Json(TestMembers.PointsEvent(TestMembers.NewId(), 1, 1)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task With_a_signing_secret_only_correctly_signed_fresh_requests_are_accepted()
    {
        await using var factory = new WalletPassesFactory(app.Azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["WalletPasses:Events:PollQueue"] = "false",
            ["WalletPasses:Events:SigningSecret"] = IngestionOnlyFixture.SigningSecret,
        });
        var backend = factory.CreateBackendClient();
        var body = TestMembers.PointsEvent(TestMembers.NewId(), 1, 100);
        HttpRequestMessage Signed(DateTimeOffset at, string secret, string? bodyOverride = null)
        {
            var timestamp = at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "." + body)));
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/loyalty-events") { Content = TestMembers.Json(bodyOverride ?? body) };
            request.Headers.Add("X-WalletPasses-Signature", $"t={timestamp},v1={signature}");
            return request;
        }

        var now = factory.Time.GetUtcNow();
        Assert.Equal(HttpStatusCode.Accepted, (await backend.SendAsync(Signed(now, IngestionOnlyFixture.SigningSecret))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await backend.PostAsync("/api/loyalty-events", TestMembers.Json(body))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await backend.SendAsync(Signed(now, "some-other-secret-0123456789"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await backend.SendAsync(Signed(now.AddMinutes(-10), IngestionOnlyFixture.SigningSecret))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await backend.SendAsync(Signed(now, IngestionOnlyFixture.SigningSecret, body.Replace("100", "999", StringComparison.Ordinal)))).StatusCode);

        // README: with a signing secret set, anything not correctly signed is 401, whatever the body says; an unsigned
        // caller learns nothing about what the API would make of its body.
        Assert.Equal(HttpStatusCode.Unauthorized, (await backend.PostAsync("/api/loyalty-events", TestMembers.Json("{not json"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await backend.PostAsync("/api/loyalty-events", new StringContent(body, Encoding.UTF8, "text/plain"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await backend.PostAsync("/api/loyalty-events", new ByteArrayContent([]))).StatusCode);
    }
}
