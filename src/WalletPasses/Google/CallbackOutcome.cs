namespace WalletPasses.Google;

public enum CallbackOutcome
{
    /// <summary>Recorded on the member and published.</summary>
    Recorded,

    /// <summary>This nonce was processed before: dropped.</summary>
    Duplicate,

    /// <summary>Genuine, but about no current pass of this service (another class, a replaced pass, another event type).</summary>
    Ignored,

    /// <summary>The signature chain does not verify (or the body is not a callback): nothing recorded.</summary>
    Rejected,

    /// <summary>Google's root keys could not be fetched: cannot tell yet.</summary>
    KeysUnavailable,
}
