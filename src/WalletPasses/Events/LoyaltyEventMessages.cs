using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using WalletPasses.Delivery;
using WalletPasses.Http;
using WalletPasses.Storage;
using WalletPasses.Telemetry;
using WalletPasses.Templates;

namespace WalletPasses.Events;

/// <summary>
/// The <c>loyalty-events</c> queue: what the HTTP API puts on it, and how one message is handled, the same
/// way under the Functions queue trigger and under the standalone poller.
/// </summary>
public sealed partial class LoyaltyEventMessages(
    StorageClients storage,
    LoyaltyEventProcessor processor,
    Announcements announcements,
    LoyaltyEventPrograms programs,
    WalletPassesTelemetry telemetry,
    TimeProvider time,
    ILogger<LoyaltyEventMessages> logger)
{
    public const int MaxDequeueCount = 5;

    /// <summary>The <c>walletpasses.event.outcome</c> of a queued event whose program was retired: refused, not poisoned.</summary>
    public const string RetiredProgramOutcome = "program-retired";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly RejectedLoyaltyEvents _rejected = new(storage, logger);

    public QueueClient Queue => storage.LoyaltyEvents;

    /// <summary>The queue without message encoding, for receiving: see <see cref="TryDecode"/>.</summary>
    public QueueClient RawQueue => storage.LoyaltyEventsRaw;

    /// <summary>
    /// Queues validated events, one message each, the JSON a backend would put there itself plus, when the request
    /// is traced, its <see cref="QueueTraceContext"/>.
    /// </summary>
    public async Task EnqueueAsync(IReadOnlyCollection<LoyaltyEventInput> events, CancellationToken cancellationToken)
    {
        await Task.WhenAll(events.Select(SendAsync));
        telemetry.EventsAccepted(events.Count);

        async Task SendAsync(LoyaltyEventInput loyaltyEvent)
        {
            using var span = telemetry.StartSend();
            await Queue.SendMessageAsync(QueueTraceContext.Attach(JsonSerializer.SerializeToNode(loyaltyEvent, JsonBody.SerializerOptions)!, span), cancellationToken);
        }
    }

    /// <summary>
    /// Handles one message as the host decoded it (base64, then UTF-8): applies it, or sets it aside when
    /// it can never apply (Done); Retry only for a transient failure. Never throws but for cancellation.
    /// </summary>
    /// <param name="insertedOn">When the message entered the queue, for the processing-lag metric.</param>
    public async Task<QueueMessageOutcome> HandleAsync(string messageText, long dequeueCount, DateTimeOffset? insertedOn, CancellationToken cancellationToken)
    {
        var eventJson = QueueTraceContext.Detach(Unwrap(messageText), out var sender);
        using var span = telemetry.StartProcessing(sender);
        telemetry.ProcessingLag(insertedOn, time.GetUtcNow());
        string? eventId = null;
        try
        {
            var (loyaltyEvent, error, retiredProgram) = await ParseAsync(eventJson, cancellationToken);
            if (retiredProgram is not null)
            {
                // Accepted (202) before the operator retired its program, or queued by a backend that had not heard:
                // refused as the API refuses it (409), an expected end of the operator's own decision, not a fault to
                // alarm on, so it is counted and logged, not poisoned (nothing could ever apply it: there is no way back).
                LogRetiredProgramEvent(logger, retiredProgram);
                telemetry.EventProcessed(RetiredProgramOutcome);
                return QueueMessageOutcome.Done;
            }

            if (loyaltyEvent is null)
            {
                return await PoisonAsync(messageText, error!, cancellationToken);
            }

            eventId = loyaltyEvent.EventId;
            if (dequeueCount >= MaxDequeueCount)
            {
                // No copy comes back after this delivery (a failure poisons it), so if it applies a version and dies before
                // the platforms hear of it, nothing would redeliver it: the retry index must know, as for a member request.
                await announcements.MarkAnnouncingAsync(loyaltyEvent.MemberId, cancellationToken);
            }

            var outcome = await processor.ProcessAsync(loyaltyEvent, cancellationToken);
            LogProcessed(logger, eventId, outcome);
            if (outcome == EventOutcome.ErasedMember)
            {
                // Sent before the erasure: it must not wait for, and apply to, a member created again under the id. Set aside
                // without what it says of the member (a name, a referral link, an offer), which the erasure just removed.
                return await PoisonAsync(ErasedMemberEvent.Redact(Unwrap(eventJson)), $"member '{loyaltyEvent.MemberId}' was erased", cancellationToken);
            }

            if (outcome == EventOutcome.UnknownMember)
            {
                // A backend may send a member's first event just before (or while) it creates the member: the event waits
                // for it, a visibility timeout at a time, rather than being set aside at once and lost to the member.
                if (dequeueCount < MaxDequeueCount)
                {
                    LogWaitingForMember(logger, eventId, dequeueCount);
                    telemetry.EventProcessed("waiting-for-member");
                    return QueueMessageOutcome.Retry;
                }

                return await PoisonAsync(messageText, $"member '{loyaltyEvent.MemberId}' does not exist (after {dequeueCount} deliveries)", cancellationToken);
            }

            telemetry.EventProcessed(MetricName(outcome));
            return QueueMessageOutcome.Done;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, e, eventId ?? "(not parsed yet)", dequeueCount);
            telemetry.EventProcessed("retried");
            return QueueMessageOutcome.Retry;
        }
    }

    /// <summary>
    /// Puts a copy of a message whose delivery a host shutdown interrupted back on the queue, as a new message (its own
    /// delivery count), so the interruption does not count as a failed delivery: a host that counts it may move the
    /// original to the poison queue unapplied. Safe whatever the interrupted delivery had done: the event id makes a second
    /// application a no-op. False (logged) when the copy could not be queued; the original then stays the host's to handle.
    /// </summary>
    public async Task<bool> RequeueInterruptedAsync(string messageText, string messageId, long dequeueCount)
    {
        try
        {
            // Not the invocation's token, which has fired: the host's shutdown timeout bounds this send.
            await Queue.SendMessageAsync(messageText, CancellationToken.None);
            LogRequeued(logger, messageId, dequeueCount);
            return true;
        }
        catch (Exception e)
        {
            LogRequeueFailed(logger, e, messageId, dequeueCount);
            return false;
        }
    }

    /// <summary>Moves a message that failed <see cref="MaxDequeueCount"/> times to the poison queue (or keeps it as a blob when too large).</summary>
    public async Task<QueueMessageOutcome> PoisonAsync(string messageText, string reason, CancellationToken cancellationToken) =>
        Poisoned(await _rejected.PoisonAsync(messageText, reason, cancellationToken));

    /// <summary>Takes a message whose bytes could not be decoded (not base64, not UTF-8) off the queue, keeping them as a blob.</summary>
    public async Task<QueueMessageOutcome> SetAsideUndecodableAsync(ReadOnlyMemory<byte> raw, string reason, CancellationToken cancellationToken) =>
        Poisoned(await _rejected.SetAsideAsync(raw, reason, cancellationToken));

    /// <summary>
    /// Decodes a message body received without encoding the way the Functions queue trigger reads it (base64,
    /// then UTF-8), but strictly: bytes that are not UTF-8 are refused rather than replaced.
    /// </summary>
    public static bool TryDecode(BinaryData body, [NotNullWhen(true)] out string? text, out ReadOnlyMemory<byte> undecodable, [NotNullWhen(false)] out string? failure)
    {
        var raw = body.ToMemory();
        var encoded = body.ToString();
        var decoded = new byte[encoded.Length * 3 / 4 + 3];
        text = null;
        undecodable = raw;
        if (!Convert.TryFromBase64String(encoded, decoded, out var length))
        {
            failure = "the message is not base64";
            return false;
        }

        undecodable = decoded.AsMemory(0, length);
        try
        {
            text = StrictUtf8.GetString(decoded, 0, length);
            failure = null;
            return true;
        }
        catch (DecoderFallbackException)
        {
            failure = "the message is not UTF-8 text";
            return false;
        }
    }

    /// <summary>
    /// Parses a queued event against its program's template (an unknown program is a reason to reject it); the member id
    /// as stored. RetiredProgram: the id of the retired program the event names (then neither event nor error).
    /// </summary>
    private async Task<(LoyaltyEvent? Event, string? Error, string? RetiredProgram)> ParseAsync(string eventJson, CancellationToken cancellationToken)
    {
        string? programId;
        try
        {
            programId = JsonSerializer.Deserialize<LoyaltyEventInput>(Unwrap(eventJson), JsonBody.SerializerOptions)?.ProgramId;
        }
        catch (JsonException)
        {
            programId = null; // Parse says what is wrong with it
        }

        var program = await programs.ResolveAsync(programId, allowed: null, cancellationToken);
        if (program.Retired)
        {
            return (null, null, program.ProgramId);
        }

        if (program.Template is null)
        {
            return (null, program.Error, null);
        }

        var (loyaltyEvent, error) = Parse(eventJson, program.Template);
        return loyaltyEvent is null ? (null, error, null) : (programs.InProgram(loyaltyEvent, program.ProgramId), null, null);
    }

    /// <summary>Parses a queued event; the Functions host may hand over the JSON encoded as a string, even twice.</summary>
    public static (LoyaltyEvent? Event, string? Error) Parse(string messageText, ProgramTemplate template)
    {
        try
        {
            var json = Unwrap(messageText);
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

    /// <summary>The JSON inside a message the host may have encoded as a JSON string, even twice; anything else unchanged.</summary>
    private static string Unwrap(string messageText)
    {
        var json = messageText;
        try
        {
            for (var unwrap = 0; unwrap < 3 && json.TrimStart().StartsWith('"'); unwrap++)
            {
                json = JsonSerializer.Deserialize<string>(json) ?? "";
            }
        }
        catch (JsonException)
        {
            // Not a JSON string after all: the parser says what is wrong with it.
        }

        return json;
    }

    /// <summary>Counts a message set aside (only once it is: a failed attempt is retried instead).</summary>
    private QueueMessageOutcome Poisoned(QueueMessageOutcome outcome)
    {
        if (outcome == QueueMessageOutcome.Done)
        {
            telemetry.EventProcessed("poisoned");
        }

        return outcome;
    }

    [LoggerMessage(LogLevel.Information, "Loyalty event {EventId}: {Outcome}")]
    private static partial void LogProcessed(ILogger logger, string eventId, EventOutcome outcome);

    [LoggerMessage(LogLevel.Information, "A queued loyalty event names program {ProgramId}, which is retired: refused, not applied (its members no longer change)")]
    private static partial void LogRetiredProgramEvent(ILogger logger, string programId);

    [LoggerMessage(LogLevel.Warning, "Loyalty event {EventId} is for a member that does not exist (delivery {DequeueCount}); it comes back after the visibility timeout, in case the member is being created")]
    private static partial void LogWaitingForMember(ILogger logger, string eventId, long dequeueCount);

    [LoggerMessage(LogLevel.Information, "Loyalty-events message {MessageId} (delivery {DequeueCount}) was interrupted by a shutdown; a copy is back on the queue in its place")]
    private static partial void LogRequeued(ILogger logger, string messageId, long dequeueCount);

    [LoggerMessage(LogLevel.Warning, "Loyalty-events message {MessageId} (delivery {DequeueCount}) was interrupted by a shutdown and no copy could be queued; the host counts it as a failed delivery")]
    private static partial void LogRequeueFailed(ILogger logger, Exception exception, string messageId, long dequeueCount);

    [LoggerMessage(LogLevel.Warning, "Loyalty event {EventId} failed on delivery {DequeueCount}; it will be retried")]
    private static partial void LogFailed(ILogger logger, Exception exception, string eventId, long dequeueCount);

    private static string MetricName(EventOutcome outcome) => outcome switch
    {
        EventOutcome.Applied => "applied",
        EventOutcome.Unchanged => "unchanged",
        EventOutcome.Duplicate => "duplicate",
        _ => "poisoned", // an unknown member: the message goes to the poison queue
    };
}
