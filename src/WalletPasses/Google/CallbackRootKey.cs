namespace WalletPasses.Google;

/// <summary>A Google root signing key for save/delete callbacks.</summary>
/// <param name="KeyValue">Base64 DER SubjectPublicKeyInfo of a P-256 key.</param>
/// <param name="ProtocolVersion">Only <c>ECv2SigningOnly</c> keys are used.</param>
/// <param name="ExpiresAt">From <c>keyExpiration</c>; null when Google gave none.</param>
public sealed record CallbackRootKey(string KeyValue, string ProtocolVersion, DateTimeOffset? ExpiresAt);
