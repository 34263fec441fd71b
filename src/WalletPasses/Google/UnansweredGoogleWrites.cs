namespace WalletPasses.Google;

/// <summary>
/// Whether a write to Google Wallet made in the current async flow (one Google sync) ended without a definite answer:
/// an attempt given up on (a time-out, a cancellation), whose connection dropped, or answered 408, 502 or 504, none of
/// which says whether Google applied it or still will. Noted per attempt by <see cref="UnansweredWriteHandler"/>, below the
/// retry handler, so a retry that was answered does not hide an earlier attempt that was not.
/// </summary>
public sealed class UnansweredGoogleWrites
{
    private static readonly AsyncLocal<UnansweredGoogleWrites?> Current = new();

    private volatile bool _any;

    private UnansweredGoogleWrites()
    {
    }

    public bool Any => _any;

    /// <summary>
    /// Notes the writes of the calling flow from here on. Call it from the method whose awaits make the writes: a value
    /// set inside an awaited async method does not flow back out of it.
    /// </summary>
    public static UnansweredGoogleWrites Track()
    {
        var writes = new UnansweredGoogleWrites();
        Current.Value = writes;
        return writes;
    }

    internal static void Note()
    {
        if (Current.Value is { } writes)
        {
            writes._any = true;
        }
    }
}
