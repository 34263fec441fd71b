namespace WalletPasses.Google;

/// <summary>
/// The time-out a caller gives its Google Wallet calls (the sync's <see cref="GoogleWalletOptions.IssueTimeout"/>), seen by
/// <see cref="GoogleWalletHealthHandler"/> through the async flow: a call cancelled once it ran out is Google not answering
/// in time; one cancelled before (the caller hung up: a customer who closed the save link, an aborted request) says
/// nothing about Google, and must not make health report Google down.
/// </summary>
internal static class GoogleCallDeadline
{
    private static readonly AsyncLocal<CancellationToken?> Current = new();

    /// <summary>
    /// For the calls the current async method makes from now on (an async method's changes never reach its caller, so the
    /// deadline ends with the method that set it).
    /// </summary>
    public static void Set(CancellationToken deadline) => Current.Value = deadline;

    /// <summary>
    /// Whether a cancelled call is the caller giving up on Google: its deadline ran out, or, outside any deadline (a
    /// background job's call, <see cref="HttpClient.Timeout"/>), the caller stopped waiting.
    /// </summary>
    public static bool CallerGaveUpOnGoogle => Current.Value is not { } deadline || deadline.IsCancellationRequested;
}
