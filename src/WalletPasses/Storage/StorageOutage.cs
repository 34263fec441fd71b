using Azure;
using Azure.Identity;

namespace WalletPasses.Storage;

/// <summary>
/// Whether a failure means storage could not be reached or is overloaded (worth trying again later) rather
/// than a bug: no answer at all (Azure.Core reports status 0 for connection refused, DNS or timeout), a 5xx
/// from the service (ServerBusy, OperationTimedOut, InternalError; "Azure Storage error codes"), or no token for
/// managed identity. Azure.Core wraps the attempts of a failed retry in an <see cref="AggregateException"/>.
/// </summary>
public static class StorageOutage
{
    /// <summary>What callers are told to wait before trying again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(10);

    public static bool Is(Exception exception) => exception switch
    {
        RequestFailedException failed => failed.Status is 0 or >= 500,
        AuthenticationFailedException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(Is),
        _ => exception.InnerException is { } inner && Is(inner),
    };
}
