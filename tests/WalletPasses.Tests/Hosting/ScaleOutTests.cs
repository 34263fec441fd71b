using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Events;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Hosting;

/// <summary>
/// Two instances over one storage account, driven at once. Azure Storage queues deliver at least once and a message
/// whose visibility timeout ran out is handed to another consumer ("Storage queues and Service Bus queues - compared
/// and contrasted", https://learn.microsoft.com/azure/service-bus-messaging/service-bus-azure-and-service-bus-queues-compared-contrasted),
/// and the queue trigger runs messages in batches on every instance (azure-webjobs-sdk QueuesOptions.BatchSize), so
/// one member's events run on two instances at once; HTTP requests land on any instance. What a user sees must not
/// depend on which instance answered.
/// </summary>
public sealed class ScaleOutTests(TwoInstancesFixture app) : IClassFixture<TwoInstancesFixture>
{
    private readonly HttpClient _firstBackend = app.First.CreateBackendClient();
    private readonly HttpClient _secondBackend = app.Second.CreateBackendClient();

    [Fact]
    public async Task One_members_events_applied_on_both_instances_at_once_end_at_the_latest_sequence_everywhere()
    {
        var pass = await InstalledPass.IssueAsync(_firstBackend, app.First.CreateClient(), points: 100);
        var device = new SimulatedDevice(app.Second);
        Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);

        // Sequences 1..20 in a shuffled order, alternating between the instances, all in flight together.
        var sequences = Enumerable.Range(1, 20).OrderBy(s => (s * 7919) % 23).ToArray();
        var outcomes = await Task.WhenAll(sequences.Select((sequence, i) => Task.Run(() =>
            Processor(app.Both[i % 2]).ProcessAsync(PointsEvent(pass.MemberId, sequence, sequence * 100), CancellationToken.None))));

        Assert.DoesNotContain(EventOutcome.Duplicate, outcomes);
        foreach (var backend in new[] { _firstBackend, _secondBackend })
        {
            var member = await TestMembers.GetAsync(backend, pass.MemberId);
            Assert.Equal(2000, member!.Value.GetProperty("points").GetInt64());
        }

        foreach (var instance in app.Both)
        {
            var response = await new SimulatedDevice(instance) { Id = device.Id, PushToken = device.PushToken }.FetchPassAsync(pass);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(2000, new PkPass(await response.Content.ReadAsByteArrayAsync()).Field("primaryFields", "points").GetProperty("value").GetInt64());
        }
    }

    [Fact]
    public async Task A_once_only_perk_asked_for_at_both_instances_at_once_is_redeemed_once()
    {
        var (memberId, barcode) = await StaffTesting.EnrolAsync(app.First, _firstBackend, tier: "gold");

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => RedeemAsync(app.Both[i % 2], barcode, Guid.NewGuid().ToString(), perkId: "birthday-drink")));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(1, await CountRowsAsync(memberId, "redemption|"));
    }

    [Fact]
    public async Task One_idempotency_key_sent_to_both_instances_at_once_gets_one_answer()
    {
        var (memberId, barcode) = await StaffTesting.EnrolAsync(app.First, _firstBackend, points: 100, tier: "gold");
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => RedeemAsync(app.Both[i % 2], barcode, key, points: 60)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("redemptionId").GetString()));
        Assert.Single(ids.Distinct());
        Assert.Equal(1, await CountRowsAsync(memberId, "redemption|"));
    }

    [Fact]
    public async Task Points_requests_at_both_instances_at_once_never_hold_more_than_the_balance()
    {
        var (_, barcode) = await StaffTesting.EnrolAsync(app.First, _firstBackend, points: 100, tier: "gold");

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => RedeemAsync(app.Both[i % 2], barcode, Guid.NewGuid().ToString(), points: 40)));

        Assert.Equal(2, responses.Count(r => r.StatusCode == HttpStatusCode.Accepted));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Accepted), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
    }

    /// <summary>
    /// A pass keeps its 5 most recent devices (PassKitOptions.MaxDevicesPerPass): each registration past the cap drops the
    /// least recent one, so registrations on two instances at once both drop the same device. Before the fix the second
    /// drop met the row already deleted (404 in its transaction) and the device that had just registered got a 500.
    /// </summary>
    [Fact]
    public async Task Devices_registering_at_both_instances_at_once_all_get_in_and_the_pass_keeps_at_most_the_cap()
    {
        var passes = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => InstalledPass.IssueAsync(_firstBackend, app.First.CreateClient())));
        var registrations = passes.SelectMany(pass => Enumerable.Range(0, 12).Select(i => (Pass: pass, Device: new SimulatedDevice(app.Both[i % 2])))).ToArray();

        var answers = await Task.WhenAll(registrations.Select(r => r.Device.RegisterAsync(r.Pass)));

        Assert.True(answers.All(a => a.StatusCode == HttpStatusCode.Created), $"every device gets 201; got {string.Join(", ", answers.Select(a => (int)a.StatusCode))}");
        foreach (var pass in passes)
        {
            // One more registration trims what the concurrent ones may have left over (at most one too many each).
            Assert.Equal(HttpStatusCode.Created, (await new SimulatedDevice(app.Second).RegisterAsync(pass)).StatusCode);
            var rows = await QueryAsync(pass.MemberId, "reg|");
            Assert.Equal(5, rows.Count);
            var member = await app.Azurite.Tables.GetTableClient(Prefix + "members").GetEntityAsync<TableEntity>(pass.MemberId, "member");
            var copied = JsonDocument.Parse(member.Value.GetString("DevicesJson")!).RootElement.EnumerateArray().Select(d => d.GetProperty("deviceLibraryIdentifier").GetString()).Order().ToArray();
            Assert.Equal(rows.Select(r => r.RowKey["reg|".Length..]).Order().ToArray(), copied);
        }
    }

    private string Prefix => app.First.Settings["WalletPasses:Storage:NamePrefix"]!;

    private static LoyaltyEventProcessor Processor(WalletPassesFactory instance) => instance.Services.GetRequiredService<LoyaltyEventProcessor>();

    private static LoyaltyEvent PointsEvent(string memberId, long sequence, long points) =>
        new($"evt-{Guid.NewGuid():N}", memberId, sequence, DateTimeOffset.UtcNow, LoyaltyEventTypes.PointsChanged, points, null, null, null, null, null);

    private static async Task<HttpResponseMessage> RedeemAsync(WalletPassesFactory instance, string barcode, string idempotencyKey, string? perkId = null, long? points = null)
    {
        using var staff = instance.CreateStaffClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/redemptions")
        {
            Content = JsonContent.Create(new { barcode, perkId, points, location = "popup-berlin" }, options: new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull }),
        };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        var response = await staff.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private async Task<List<TableEntity>> QueryAsync(string memberId, string rowKeyPrefix)
    {
        var table = app.Azurite.Tables.GetTableClient(Prefix + "members");
        var end = rowKeyPrefix[..^1] + (char)(rowKeyPrefix[^1] + 1);
        return await table.QueryAsync<TableEntity>(e => e.PartitionKey == memberId && e.RowKey.CompareTo(rowKeyPrefix) >= 0 && e.RowKey.CompareTo(end) < 0).ToListAsync();
    }

    private async Task<int> CountRowsAsync(string memberId, string rowKeyPrefix) => (await QueryAsync(memberId, rowKeyPrefix)).Count;
}
