using Azure;
using Azure.Data.Tables;
using Azure.Identity;

namespace WalletPasses.Storage;

/// <summary>
/// Whether storage answers, for <c>GET /api/health</c>: one point read of a row that does not exist (a 404 is an
/// answer), bounded by <see cref="Timeout"/> so a health check answers before a load balancer gives up on it
/// (the SDK's own retries would take several seconds when nothing listens).
/// </summary>
public sealed class StorageProbe(StorageClients storage)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    /// <summary>Null when storage answered; otherwise what went wrong, without the account's address or credentials.</summary>
    public async Task<string?> ProblemAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await storage.Members.GetEntityIfExistsAsync<TableEntity>("health-probe", "health-probe", ["PartitionKey"], timeout.Token);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {Timeout.TotalSeconds:0} s";
        }
        catch (RequestFailedException e) when (e.Status == 0)
        {
            return "no answer";
        }
        catch (RequestFailedException e)
        {
            return $"{e.Status} {e.ErrorCode}";
        }
        catch (AuthenticationFailedException)
        {
            return "no token for the app's identity";
        }
        catch (AggregateException e) when (StorageOutage.Is(e))
        {
            return "no answer";
        }
    }
}
