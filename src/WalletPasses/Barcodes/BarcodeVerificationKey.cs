namespace WalletPasses.Barcodes;

/// <summary>A key tokens may carry: its id, its public key (DER SubjectPublicKeyInfo) and whether it signs new tokens.</summary>
public sealed record BarcodeVerificationKey(string KeyId, byte[] PublicKeySpki, bool Signing);
