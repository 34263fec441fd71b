namespace WalletPasses.Google;

/// <param name="LastAnsweredAt">When Google last served a call (any answer but an authentication refusal, 429 or 5xx).</param>
/// <param name="Failing">The latest failure: an outage, refusal of the key or throttling while no call has succeeded since,
/// or a refused write (400) while that object or class has not been written since.</param>
/// <param name="RefusedResources">How many objects and classes Google refused the latest write of (400), not written since.</param>
public sealed record GoogleWalletHealthSnapshot(DateTimeOffset? LastAnsweredAt, GoogleCallFailure? Failing, int RefusedResources);
