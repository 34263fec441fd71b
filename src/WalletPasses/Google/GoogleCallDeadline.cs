namespace WalletPasses.Google;

/// <summary>
/// The time-out a caller gives its Google Wallet calls (the sync's <see cref="GoogleWalletOptions.IssueTimeout"/>), seen by
/// <see cref="GoogleWalletHealthHandler"/> through the async flow: a call cancelled once it ran out is Google not answering
/// in time; one cancelled before (the caller hung up: a customer who closed the save link, an aborted request) says
/// nothing about Google, and must not make health report Google down. Likewise a call the host cancels with the invocation
/// that made it (<see cref="SetHostCancellation"/>: a Functions trigger's token, which fires on a drain or a shutdown without
/// the worker's own ApplicationStopping).
/// </summary>
public static class GoogleCallDeadline
{
    private static readonly AsyncLocal<CancellationToken?> Current = new();

    private static readonly AsyncLocal<CancellationToken?> HostCancellation = new();

    /// <summary>
    /// For the calls the current async method makes from now on (an async method's changes never reach its caller, so the
    /// deadline ends with the method that set it).
    /// </summary>
    internal static void Set(CancellationToken deadline) => Current.Value = deadline;

    /// <summary>
    /// The token with which the host cancels the invocation the current async method runs (under the Functions host, the
    /// trigger's: the WebJobs FunctionExecutor cancels it when drain mode starts, the queue listener when it stops, and the
    /// host forwards that to the worker as InvocationCancel). A call it cancels was not given up on Google. Like
    /// <see cref="Set"/>, for the calls made from now on by the method that sets it and what it awaits.
    /// </summary>
    public static void SetHostCancellation(CancellationToken invocation) => HostCancellation.Value = invocation;

    /// <summary>
    /// Whether a cancelled call is the caller giving up on Google: its deadline ran out, or, outside any deadline (a
    /// background job's call, <see cref="HttpClient.Timeout"/>), the caller stopped waiting; never when the host cancelled
    /// the invocation.
    /// </summary>
    internal static bool CallerGaveUpOnGoogle =>
        HostCancellation.Value is not { IsCancellationRequested: true }
        && (Current.Value is not { } deadline || deadline.IsCancellationRequested);
}
