using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using WalletPasses.Activity;
using Microsoft.Extensions.Options;
using WalletPasses.Members;
using WalletPasses.Programs;
using WalletPasses.Storage;
using WalletPasses.Telemetry;

namespace WalletPasses.Google;

/// <summary>
/// Google's save/delete callbacks: verified (<see cref="CallbackVerifier"/>), de-duplicated by nonce, recorded on
/// the member and published to <c>pass-activity</c>. Anyone can post a callback, so a rejection or a callback that
/// cannot be verified for want of Google's keys logs at most one line per reason per <see cref="LogWindow"/> on an
/// instance, with the count of those left out since the previous one; the metric counts each as it happens, since a
/// flood that stops would otherwise leave its count unsaid until the reason's next line.
/// </summary>
public sealed partial class GoogleCallbacks(
    StorageClients storage,
    CallbackVerifier verifier,
    MemberStore members,
    GoogleWalletFeature google,
    PassActivityPublisher activityPublisher,
    IOptions<WalletPassesOptions> options,
    WalletPassesTelemetry telemetry,
    TimeProvider time,
    ILogger<GoogleCallbacks> logger)
{
    public static readonly TimeSpan LogWindow = TimeSpan.FromMinutes(1);

    // The reasons are the few CallbackRejection names and KeysUnavailable: the dictionary stays that small.
    private readonly LogWindows<string> _logWindows = new(LogWindow, time);

    private TableClient Nonces => storage.Table(StorageNames.GoogleCallbacksTable);

    public async Task<CallbackOutcome> HandleAsync(string body, CancellationToken cancellationToken)
    {
        CallbackVerificationResult verification;
        try
        {
            verification = await verifier.VerifyAsync(body, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            telemetry.CallbackRefused("keys_unavailable");
            if (_logWindows.Occurred(nameof(CallbackOutcome.KeysUnavailable)) is { } leftOut)
            {
                LogRootKeysUnavailable(logger, leftOut, e);
            }

            return CallbackOutcome.KeysUnavailable;
        }

        if (!verification.IsValid)
        {
            var reason = verification.Rejection.Value;
            telemetry.CallbackRefused(reason.ToString());
            if (_logWindows.Occurred(reason.ToString()) is { } leftOut)
            {
                LogRejected(logger, reason, leftOut);
            }

            return CallbackOutcome.Rejected;
        }

        var message = verification.Message;
        var nonce = new GoogleCallbackEntity
        {
            PartitionKey = DayKey(DateTimeOffset.FromUnixTimeMilliseconds(message.ExpTimeMillis)),
            RowKey = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(message.Nonce))),
            ObjectId = message.ObjectId,
            EventType = message.EventType,
            ReceivedAt = time.GetUtcNow(),
        };
        try
        {
            await Nonces.AddEntityAsync(nonce, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var seen = await Nonces.GetEntityAsync<GoogleCallbackEntity>(nonce.PartitionKey, nonce.RowKey, cancellationToken: cancellationToken);
            if (seen.Value.Processed)
            {
                return CallbackOutcome.Duplicate;
            }

            // An earlier delivery stopped half-way: finish it (its activity may go out twice, never not at all).
        }

        var outcome = await RecordAsync(message, nonce.ReceivedAt, cancellationToken);
        nonce.Processed = true;
        await Nonces.UpsertEntityAsync(nonce, TableUpdateMode.Replace, cancellationToken);
        return outcome;
    }

    /// <summary>Deletes the nonces of messages that expired before yesterday (UTC): those can no longer verify.</summary>
    public async Task PurgeExpiredNoncesAsync(CancellationToken cancellationToken)
    {
        var cutoff = DayKey(time.GetUtcNow().AddDays(-1));
        var expired = Nonces.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey lt {cutoff}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken);
        await foreach (var row in expired)
        {
            await Nonces.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
        }
    }

    private async Task<CallbackOutcome> RecordAsync(CallbackMessage message, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var installed = message.EventType == CallbackMessage.SaveEventType;
        var serialNumber = google.SerialNumberOf(message.ObjectId);
        var member = serialNumber is null ? null : await members.FindByCurrentSerialNumberAsync(serialNumber, cancellationToken);
        if (member is null || (!installed && message.EventType != CallbackMessage.DeleteEventType))
        {
            LogIgnored(logger, message.EventType);
            return CallbackOutcome.Ignored;
        }

        // Merge: null times are not sent, so a removal keeps the time of the save before it.
        await storage.Members.UpsertEntityAsync(
            new GoogleInstallEntity
            {
                PartitionKey = member.MemberId,
                ObjectId = message.ObjectId,
                Installed = installed,
                InstalledAt = installed ? receivedAt : null,
                RemovedAt = installed ? null : receivedAt,
            },
            TableUpdateMode.Merge,
            cancellationToken);

        var holder = ProgramMember.Of(member.MemberId, options.Value.ProgramId);
        var activity = new GooglePassActivity(
            installed ? PassActivityTypes.Installed : PassActivityTypes.Removed, PassPlatforms.Google, holder.MemberId, member.Pass.SerialNumber, message.ObjectId, receivedAt, Guid.NewGuid().ToString("N"))
        {
            ProgramId = holder.ProgramId,
        };
        await activityPublisher.PublishAsync(activity, cancellationToken);
        return CallbackOutcome.Recorded;
    }

    private static string DayKey(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    [LoggerMessage(LogLevel.Warning, "Rejected a Google Wallet callback: {Reason} ({LeftOut} more for this reason since its previous line; at most one line per reason a minute)")]
    private static partial void LogRejected(ILogger logger, CallbackRejection reason, long leftOut);

    [LoggerMessage(LogLevel.Information, "Ignored a genuine Google Wallet callback ({EventType}) for no current pass of this service")]
    private static partial void LogIgnored(ILogger logger, string eventType);

    [LoggerMessage(LogLevel.Warning, "Google's callback signing keys could not be fetched ({LeftOut} more callbacks answered 503 for it since the previous line; at most one line a minute)")]
    private static partial void LogRootKeysUnavailable(ILogger logger, long leftOut, Exception exception);
}
