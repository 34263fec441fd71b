namespace WalletPasses.Google;

/// <param name="LastAnsweredAt">When Google last served a call (any answer but an authentication refusal, 429 or 5xx).</param>
/// <param name="Failing">The latest failure, while no call has succeeded since.</param>
public sealed record GoogleWalletHealthSnapshot(DateTimeOffset? LastAnsweredAt, GoogleCallFailure? Failing);
