using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Events;
using WalletPasses.Storage;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Events;

/// <summary>
/// Messages a backend (or anyone with queue access) can put on <c>loyalty-events</c> that cannot be decoded:
/// not base64 (the Functions queue trigger's default encoding, azure-functions-host / azure-sdk-for-net
/// Microsoft.Azure.WebJobs.Extensions.Storage.Queues QueueServiceClientProvider: an undecodable message is
/// taken off the queue through a client without encoding), or base64 of bytes that are not UTF-8 text.
/// Each is taken off the queue once, its raw bytes kept in <c>loyalty-events-rejected</c>, and the valid
/// events received in the same batch apply.
/// </summary>
public sealed class UndecodableMessageTests(NoPollerFixture app) : IClassFixture<NoPollerFixture>
{
    private readonly HttpClient _backend = app.Factory.CreateBackendClient();

    private QueueClient RawQueue => new(app.Azurite.ConnectionString, app.Factory.StoragePrefix + "loyalty-events");

    private BlobContainerClient Rejected => new(app.Azurite.ConnectionString, app.Factory.StoragePrefix + "loyalty-events-rejected");

    [Fact]
    public async Task Undecodable_messages_are_set_aside_once_and_valid_neighbours_in_their_batch_apply()
    {
        var memberId = TestMembers.NewId();
        await TestMembers.CreateAsync(_backend, memberId, points: 100);
        var notBase64 = Encoding.UTF8.GetBytes("{\"eventId\": \"not base64 at all\" " + Guid.NewGuid() + "}");
        var notUtf8 = RandomNumberGenerator.GetBytes(40 * 1024);
        notUtf8[0] = 0xFF; // never valid in UTF-8
        await RawQueue.SendMessageAsync(Encoding.UTF8.GetString(notBase64));
        await RawQueue.SendMessageAsync(Convert.ToBase64String(notUtf8));
        await RawQueue.SendMessageAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(TestMembers.PointsEvent(memberId, 1, 777))));

        using var poller = RunningPoller.Start(app.Factory.Services, TimeSpan.FromSeconds(30));

        await TestMembers.WaitForAsync(_backend, memberId, m => m.GetProperty("points").GetInt64() == 777);
        await Eventually.HoldsAsync(async () => (await RawQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, "the queue is empty: nothing comes back after the visibility timeout");
        Assert.Equal(notBase64, await RejectedContentAsync(notBase64));
        Assert.Equal(notUtf8, await RejectedContentAsync(notUtf8));
    }

    [Fact]
    public async Task A_message_too_large_for_the_poison_queue_is_kept_as_a_blob()
    {
        // What the Functions host hands over for 40 KB that are not UTF-8: the text with U+FFFD for each bad
        // byte (BinaryData.ToString), three bytes each in UTF-8, too large for a 64 KiB queue message.
        var text = new string('\uFFFD', 20_000) + Guid.NewGuid();
        var messages = app.Factory.Services.GetRequiredService<LoyaltyEventMessages>();

        var outcome = await messages.HandleAsync(text, dequeueCount: 1, insertedOn: null, CancellationToken.None);

        Assert.Equal(QueueMessageOutcome.Done, outcome);
        Assert.Equal(Encoding.UTF8.GetBytes(text), await RejectedContentAsync(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public async Task A_set_aside_message_is_deleted_by_the_retention_sweep_after_its_retention_and_kept_before()
    {
        var raw = Encoding.UTF8.GetBytes(new string('\uFFFD', 20_000) + Guid.NewGuid());
        await app.Factory.Services.GetRequiredService<LoyaltyEventMessages>().HandleAsync(Encoding.UTF8.GetString(raw), dequeueCount: 1, insertedOn: null, CancellationToken.None);
        var sweep = app.Factory.Services.GetRequiredService<RetentionSweepJob>();
        var blob = Rejected.GetBlobClient(Convert.ToHexStringLower(SHA256.HashData(raw)));

        app.Factory.Time.Advance(new RetentionOptions().RejectedEvents - TimeSpan.FromDays(1));
        await sweep.RunOnceAsync(default);
        Assert.True(await blob.ExistsAsync(), "kept while the operator may still look at it");

        app.Factory.Time.Advance(TimeSpan.FromDays(2));
        await sweep.RunOnceAsync(default);
        Assert.False(await blob.ExistsAsync(), "deleted after WalletPasses:Retention:RejectedEvents");
    }

    /// <summary>
    /// An event the backend sent before erasing the member reaches the queue after the erasure: it is set aside on the
    /// poison queue as which event it was, without the name and offer the erasure removed.
    /// </summary>
    [Fact]
    public async Task An_event_for_an_erased_member_is_poisoned_without_their_personal_data()
    {
        var memberId = TestMembers.NewId();
        await TestMembers.CreateAsync(_backend, memberId);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await _backend.DeleteAsync($"/api/members/{memberId}")).StatusCode);
        var eventId = "evt-" + Guid.NewGuid().ToString("N");
        var name = "Quill" + Guid.NewGuid().ToString("N")[..8];
        var sent = $$"""{"eventId": "{{eventId}}", "memberId": "{{memberId}}", "sequence": 7, "occurredAt": "2026-11-23T10:00:00Z", "type": "profile.changed", "displayName": "{{name}} Ray", "referralUrl": "https://shop.example/r/{{name}}"}""";

        var outcome = await app.Factory.Services.GetRequiredService<LoyaltyEventMessages>().HandleAsync(sent, dequeueCount: 1, insertedOn: null, CancellationToken.None);

        Assert.Equal(QueueMessageOutcome.Done, outcome);
        var poisoned = (await app.Factory.Services.GetRequiredService<StorageClients>().LoyaltyEventsPoison.PeekMessagesAsync(32)).Value
            .Select(m => m.Body.ToString())
            .Single(body => body.Contains(eventId, StringComparison.Ordinal));
        Assert.Contains(memberId, poisoned, StringComparison.Ordinal);
        Assert.DoesNotContain(name, poisoned, StringComparison.Ordinal);
    }

    private async Task<byte[]> RejectedContentAsync(byte[] raw)
    {
        var blob = Rejected.GetBlobClient(Convert.ToHexStringLower(SHA256.HashData(raw)));
        Assert.True(await blob.ExistsAsync(), "the raw message is kept in loyalty-events-rejected");
        return (await blob.DownloadContentAsync()).Value.Content.ToArray();
    }
}
