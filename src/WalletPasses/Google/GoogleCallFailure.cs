namespace WalletPasses.Google;

/// <param name="Kind">Whose failure it is, hence what an operator should look at.</param>
/// <param name="Detail">Status and Google's status name (e.g. <c>403 PERMISSION_DENIED</c>), or what went wrong; never a token.</param>
public sealed record GoogleCallFailure(DateTimeOffset At, GoogleCallFailureKind Kind, string Detail);
