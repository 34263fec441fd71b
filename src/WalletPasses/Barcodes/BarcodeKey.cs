namespace WalletPasses.Barcodes;

/// <summary>
/// A public key that verifies barcode tokens: a JWK (WebCrypto imports it as is) plus its DER SubjectPublicKeyInfo;
/// <see cref="Signing"/> marks the one new tokens are signed with.
/// </summary>
public sealed record BarcodeKey(string Kid, string Kty, string Crv, string X, string Y, string Alg, string Use, string Spki, bool Signing);
