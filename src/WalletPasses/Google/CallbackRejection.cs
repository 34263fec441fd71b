namespace WalletPasses.Google;

/// <summary>Why a callback was rejected.</summary>
public enum CallbackRejection
{
    Malformed,
    UnsupportedProtocolVersion,
    IntermediateKeySignatureInvalid,
    IntermediateKeyExpired,
    MessageSignatureInvalid,
    MessageExpired,
}
