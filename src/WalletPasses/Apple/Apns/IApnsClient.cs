namespace WalletPasses.Apple.Apns;

/// <summary>Tells devices that a pass changed, through APNs. Thread-safe; one instance for the app's lifetime.</summary>
public interface IApnsClient
{
    /// <summary>
    /// Pushes the empty pass-update notification to one device. Never throws for APNs, network or token
    /// problems: those come back as an <see cref="ApnsPushResult"/>.
    /// </summary>
    /// <param name="pushToken">The device's token from its registration.</param>
    /// <param name="passTypeIdentifier">Sent as <c>apns-topic</c>.</param>
    Task<ApnsPushResult> PushAsync(string pushToken, string passTypeIdentifier, CancellationToken cancellationToken = default);

    /// <summary>
    /// Pushes to many devices at once, at most <see cref="AppleOptions.ApnsMaxConcurrentPushes"/> in flight.
    /// Duplicate tokens are pushed once. Results come back in the order of first appearance.
    /// </summary>
    Task<IReadOnlyList<ApnsPushOutcome>> PushManyAsync(IEnumerable<string> pushTokens, string passTypeIdentifier, CancellationToken cancellationToken = default);
}
