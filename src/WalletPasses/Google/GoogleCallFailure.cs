namespace WalletPasses.Google;

/// <param name="Authentication">True when Google (or its OAuth endpoint) refused the service account; false for outages.</param>
/// <param name="Detail">Status and Google's status name (e.g. <c>403 PERMISSION_DENIED</c>), or what went wrong; never a token.</param>
public sealed record GoogleCallFailure(DateTimeOffset At, bool Authentication, string Detail);
