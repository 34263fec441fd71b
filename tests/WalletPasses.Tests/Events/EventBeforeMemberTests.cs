using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Events;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Events;

/// <summary>
/// A backend that sends a member's first event just before it creates the member (two requests in flight, or a retry
/// of the PUT): the event waits for the member on the queue, one visibility timeout per delivery, and is set aside on
/// the poison queue only at the last delivery (<see cref="LoyaltyEventMessages.MaxDequeueCount"/>, host.json's
/// <c>maxDequeueCount</c>). Before, it was poisoned at its first delivery and never applied. An event for an erased
/// member is still set aside at once: it must not apply to a member created again under the same id.
/// </summary>
public sealed class EventBeforeMemberTests(NoPollerFixture app) : IClassFixture<NoPollerFixture>
{
    private readonly HttpClient _backend = app.Factory.CreateBackendClient();

    private LoyaltyEventMessages Messages => app.Factory.Services.GetRequiredService<LoyaltyEventMessages>();

    private QueueClient PoisonQueue => new(app.Azurite.ConnectionString, app.Factory.StoragePrefix + "loyalty-events-poison", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    [Fact]
    public async Task An_event_that_arrives_before_its_member_applies_once_the_member_exists()
    {
        var memberId = TestMembers.NewId();
        var pointsEvent = TestMembers.PointsEvent(memberId, 1, 777);

        var early = await Messages.HandleAsync(pointsEvent, dequeueCount: 1, insertedOn: null, CancellationToken.None);
        await TestMembers.CreateAsync(_backend, memberId, points: 100);
        var redelivered = await Messages.HandleAsync(pointsEvent, dequeueCount: 2, insertedOn: null, CancellationToken.None);

        Assert.Equal(QueueMessageOutcome.Retry, early); // left on the queue: it comes back after the visibility timeout
        Assert.Equal(QueueMessageOutcome.Done, redelivered);
        Assert.Equal(777, (await TestMembers.GetAsync(_backend, memberId))!.Value.GetProperty("points").GetInt64());
        Assert.DoesNotContain(await PoisonedAsync(), body => body.Contains(memberId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_event_for_a_member_never_created_is_set_aside_at_its_last_delivery()
    {
        var memberId = TestMembers.NewId();
        var pointsEvent = TestMembers.PointsEvent(memberId, 1, 5);

        var last = await Messages.HandleAsync(pointsEvent, dequeueCount: LoyaltyEventMessages.MaxDequeueCount, insertedOn: null, CancellationToken.None);

        Assert.Equal(QueueMessageOutcome.Done, last);
        Assert.Contains(await PoisonedAsync(), body => body.Contains(memberId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_event_sent_before_an_erasure_is_set_aside_at_once_and_never_applies_to_the_member_created_again()
    {
        var memberId = TestMembers.NewId();
        await TestMembers.CreateAsync(_backend, memberId, points: 100);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await _backend.DeleteAsync($"/api/members/{memberId}")).StatusCode);
        var beforeErasure = TestMembers.PointsEvent(memberId, 1, 777);

        var first = await Messages.HandleAsync(beforeErasure, dequeueCount: 1, insertedOn: null, CancellationToken.None);
        await TestMembers.CreateAsync(_backend, memberId, points: 5);

        Assert.Equal(QueueMessageOutcome.Done, first); // off the queue: no later delivery can find the new member
        Assert.Contains(await PoisonedAsync(), body => body.Contains(memberId, StringComparison.Ordinal));
        Assert.Equal(5, (await TestMembers.GetAsync(_backend, memberId))!.Value.GetProperty("points").GetInt64());
    }

    private async Task<List<string>> PoisonedAsync()
    {
        if (!await PoisonQueue.ExistsAsync())
        {
            return [];
        }

        return [.. (await PoisonQueue.PeekMessagesAsync(32)).Value.Select(m => m.Body.ToString())];
    }
}
