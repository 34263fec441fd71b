namespace WalletPasses.Google;

/// <summary>
/// Google's error body: <c>{"error":{"code","message","status","errors":[{"message","domain","reason"}]}}</c>. The Wallet
/// API's own refusals (400, 403, 404, 409) come in the legacy form without <c>status</c>, the reason in <c>errors</c>, so
/// nothing may depend on <c>status</c> being there.
/// </summary>
public sealed record GoogleErrorResponse(GoogleError Error);

/// <summary>
/// The <c>error</c> member of Google's error body; <paramref name="Status"/> is for example <c>ALREADY_EXISTS</c>,
/// <paramref name="Errors"/> carry the reason (<c>quotaExceeded</c>, <c>permissionDenied</c>, ...).
/// </summary>
public sealed record GoogleError(int Code, string? Message, string? Status, IReadOnlyList<GoogleErrorDetail>? Errors = null);

/// <summary>One entry of the <c>errors</c> array of Google's error body.</summary>
public sealed record GoogleErrorDetail(string? Message, string? Domain, string? Reason);
