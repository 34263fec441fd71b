using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs.Models;
using WalletPasses.Storage;

namespace WalletPasses.Events;

/// <summary>
/// Takes a <c>loyalty-events</c> message that can never apply off the queue without losing it: onto the
/// poison queue when it fits there, otherwise its raw bytes into the <c>loyalty-events-rejected</c> blob
/// container, named by their SHA-256 so a redelivery stores them once. The log names the blob, never the content.
/// </summary>
public sealed partial class RejectedLoyaltyEvents(StorageClients storage, ILogger logger)
{
    /// <summary>
    /// A queue message holds at most 64 KiB ("Azure Queue Storage: A queue message can be up to 64 KB in size"),
    /// and base64, as the Functions queue trigger expects it, turns 3 bytes into 4 characters.
    /// </summary>
    public const int MaxPoisonMessageBytes = 48 * 1024;

    private const int MaxReasonLength = 512;

    /// <summary>Moves a decoded message that can never apply to the poison queue, or keeps it as a blob when it is too large for it.</summary>
    public async Task<QueueMessageOutcome> PoisonAsync(string messageText, string reason, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(messageText);
        if (bytes.Length <= MaxPoisonMessageBytes)
        {
            try
            {
                await storage.LoyaltyEventsPoison.SendMessageAsync(messageText, cancellationToken);
                LogPoisoned(logger, reason);
                return QueueMessageOutcome.Done;
            }
            catch (RequestFailedException e) when (e.Status == StatusCodes.Status413PayloadTooLarge)
            {
                // Larger than the service allows after all: keep it as a blob below.
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSetAsideFailed(logger, e, reason);
                return QueueMessageOutcome.Retry;
            }
        }

        return await SetAsideAsync(bytes, reason + " (too large for the poison queue)", cancellationToken);
    }

    /// <summary>Keeps raw message bytes (not base64, not UTF-8, or too large to poison) where an operator can find them.</summary>
    public async Task<QueueMessageOutcome> SetAsideAsync(ReadOnlyMemory<byte> raw, string reason, CancellationToken cancellationToken)
    {
        var name = Convert.ToHexStringLower(SHA256.HashData(raw.Span));
        var blob = storage.RejectedLoyaltyEvents.GetBlobClient(name);
        try
        {
            await blob.UploadAsync(
                BinaryData.FromBytes(raw),
                new BlobUploadOptions
                {
                    Metadata = new Dictionary<string, string> { ["reason"] = MetadataValue(reason) },
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                },
                cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == StatusCodes.Status409Conflict)
        {
            // Set aside before (a redelivery after a crash): once is enough.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSetAsideFailed(logger, e, reason);
            return QueueMessageOutcome.Retry;
        }

        LogSetAside(logger, raw.Length, blob.BlobContainerName, name, reason);
        return QueueMessageOutcome.Done;
    }

    /// <summary>Blob metadata is ASCII without control characters.</summary>
    private static string MetadataValue(string reason)
    {
        var ascii = new string(reason.Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());
        return ascii.Length <= MaxReasonLength ? ascii : ascii[..MaxReasonLength];
    }

    [LoggerMessage(LogLevel.Warning, "Moved a loyalty event to the poison queue: {Reason}")]
    private static partial void LogPoisoned(ILogger logger, string reason);

    [LoggerMessage(LogLevel.Warning, "Set aside a loyalty-events message of {Bytes} bytes as blob {Container}/{Blob}: {Reason}")]
    private static partial void LogSetAside(ILogger logger, int bytes, string container, string blob, string reason);

    [LoggerMessage(LogLevel.Warning, "Could not set aside a loyalty-events message ({Reason}); it stays on the queue and is tried again")]
    private static partial void LogSetAsideFailed(ILogger logger, Exception exception, string reason);
}
