using System.Text.Json;
using Azure.Storage.Queues;
using WalletPasses.Hosting;
using WalletPasses.Storage;
using WalletPasses.Templates;

namespace WalletPasses.Events;

public enum QueueMessageOutcome
{
    /// <summary>Handled (applied, duplicate, or moved to the poison queue): remove the message.</summary>
    Done,

    /// <summary>A transient failure: leave the message so it is delivered again.</summary>
    Retry,
}

/// <summary>
/// The <c>loyalty-events</c> queue: what the HTTP API puts on it, and how one message is handled, the same
/// way under the Functions queue trigger and under the standalone poller.
/// </summary>
public sealed partial class LoyaltyEventMessages(
    StorageClients storage,
    LoyaltyEventProcessor processor,
    ITemplateSource templates,
    ILogger<LoyaltyEventMessages> logger)
{
    public const int MaxDequeueCount = 5;

    public QueueClient Queue => storage.LoyaltyEvents;

    public QueueClient PoisonQueue => storage.LoyaltyEventsPoison;

    /// <summary>Queues validated events, one message each, the JSON a backend would put there itself.</summary>
    public Task EnqueueAsync(IEnumerable<LoyaltyEventInput> events, CancellationToken cancellationToken) =>
        Task.WhenAll(events.Select(e => Queue.SendMessageAsync(JsonSerializer.Serialize(e, JsonBody.SerializerOptions), cancellationToken)));

    public async Task<QueueMessageOutcome> HandleAsync(string messageText, long dequeueCount, CancellationToken cancellationToken)
    {
        var template = (await templates.GetCurrentAsync(cancellationToken)).Template;
        var (loyaltyEvent, error) = Parse(messageText, template);
        if (loyaltyEvent is null)
        {
            await PoisonAsync(messageText, error!, cancellationToken);
            return QueueMessageOutcome.Done;
        }

        try
        {
            var outcome = await processor.ProcessAsync(loyaltyEvent, cancellationToken);
            if (outcome == EventOutcome.UnknownMember)
            {
                await PoisonAsync(messageText, $"member '{loyaltyEvent.MemberId}' does not exist", cancellationToken);
            }

            LogProcessed(logger, loyaltyEvent.EventId, outcome);
            return QueueMessageOutcome.Done;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, e, loyaltyEvent.EventId, dequeueCount);
            return QueueMessageOutcome.Retry;
        }
    }

    public async Task PoisonAsync(string messageText, string reason, CancellationToken cancellationToken)
    {
        LogPoisoned(logger, reason);
        await PoisonQueue.SendMessageAsync(messageText, cancellationToken);
    }

    /// <summary>Parses a queued event; the Functions host may hand over the JSON encoded as a string, even twice.</summary>
    public static (LoyaltyEvent? Event, string? Error) Parse(string messageText, ProgramTemplate template)
    {
        try
        {
            var json = messageText;
            for (var unwrap = 0; unwrap < 3 && json.TrimStart().StartsWith('"'); unwrap++)
            {
                json = JsonSerializer.Deserialize<string>(json) ?? "";
            }

            var input = JsonSerializer.Deserialize<LoyaltyEventInput>(json, JsonBody.SerializerOptions);
            if (input is null)
            {
                return (null, "the message is JSON null");
            }

            var errors = new Dictionary<string, string[]>();
            var loyaltyEvent = LoyaltyEventValidation.Validate(input, template, "", errors);
            return loyaltyEvent is null ? (null, string.Join(" ", errors.SelectMany(e => e.Value))) : (loyaltyEvent, null);
        }
        catch (JsonException e)
        {
            return (null, "the message is not a loyalty event: " + e.Message);
        }
    }

    [LoggerMessage(LogLevel.Information, "Loyalty event {EventId}: {Outcome}")]
    private static partial void LogProcessed(ILogger logger, string eventId, EventOutcome outcome);

    [LoggerMessage(LogLevel.Warning, "Loyalty event {EventId} failed on delivery {DequeueCount}; it will be retried")]
    private static partial void LogFailed(ILogger logger, Exception exception, string eventId, long dequeueCount);

    [LoggerMessage(LogLevel.Warning, "Moved a loyalty event to the poison queue: {Reason}")]
    private static partial void LogPoisoned(ILogger logger, string reason);
}
