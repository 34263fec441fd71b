namespace WalletPasses.Delivery;

public static class DeliveryTraceKinds
{
    /// <summary>An APNs push for a version to a device: status, apns-id, state (pushed, push-failed, gone).</summary>
    public const string Push = "push";

    /// <summary>The device asked which passes changed and was told this one had.</summary>
    public const string List = "list";

    /// <summary>The pass was fetched (200 with the version, or 304: the device had it).</summary>
    public const string Fetch = "fetch";

    /// <summary>A device log line naming the pass.</summary>
    public const string Log = "log";

    /// <summary>Google's object shows the version; whether the holder was notified.</summary>
    public const string Google = "google";

    /// <summary>What the notification policy decided for a version's alerts: sent, silenced (reason) or deferred (until when).</summary>
    public const string Notification = "notification";
}
