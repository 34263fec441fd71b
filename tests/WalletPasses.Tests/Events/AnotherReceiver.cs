using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Events;

/// <summary>
/// Another instance polling a queue while a message is held by a lease. Azure Storage hides a received message until
/// its visibility timeout passes (a wall-clock time in storage, which the app's test clock cannot move), so the
/// receiver polls over that time rather than sleeping through it and looking once: a message shown at any moment in
/// between is taken, as a real second instance would take it.
/// </summary>
public static class AnotherReceiver
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(200);

    /// <summary>Polls <paramref name="queue"/> for <paramref name="over"/>; answers the messages it was handed (none while a lease holds them).</summary>
    public static async Task<IReadOnlyList<QueueMessage>> PollAsync(QueueClient queue, TimeSpan over)
    {
        var until = DateTimeOffset.UtcNow + over;
        var taken = new List<QueueMessage>();
        await Eventually.HoldsAsync(
            async () =>
            {
                taken.AddRange((await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(1))).Value);
                return taken.Count > 0 || DateTimeOffset.UtcNow > until;
            },
            $"another receiver has polled the queue for {over}",
            interval: PollEvery);
        return taken;
    }
}
