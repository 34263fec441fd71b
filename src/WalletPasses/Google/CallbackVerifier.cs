using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace WalletPasses.Google;

/// <summary>
/// Verifies the signed save/delete callbacks Google POSTs to a class's <c>callbackOptions.url</c>
/// (Google Pay's ECv2SigningOnly scheme). Callers still drop repeated <see cref="CallbackMessage.Nonce"/>s.
/// </summary>
public sealed class CallbackVerifier(
    ICallbackRootKeyProvider rootKeyProvider, IOptions<GoogleWalletOptions> options, TimeProvider timeProvider)
{
    internal const string ProtocolVersion = "ECv2SigningOnly";

    // OID of NIST P-256 (secp256r1): the only curve the scheme uses.
    private const string P256Oid = "1.2.840.10045.3.1.7";

    /// <param name="callbackBody">The request body exactly as received.</param>
    public async Task<CallbackVerificationResult> VerifyAsync(string callbackBody, CancellationToken cancellationToken = default)
    {
        if (!CallbackEnvelope.TryParse(callbackBody, out var envelope))
        {
            return CallbackVerificationResult.Invalid(CallbackRejection.Malformed);
        }

        if (envelope.ProtocolVersion != ProtocolVersion)
        {
            return CallbackVerificationResult.Invalid(CallbackRejection.UnsupportedProtocolVersion);
        }

        var now = timeProvider.GetUtcNow();
        // As Tink's PaymentMethodTokenRecipient (parseTrustedSigningKeysJson): a key of this protocol without a
        // keyExpiration is skipped (it is required in every version but ECv1), and so is an expired one.
        var rootKeys = (await rootKeyProvider.GetRootKeysAsync(cancellationToken))
            .Where(key => key.ProtocolVersion == ProtocolVersion && key.ExpiresAt > now)
            .ToList();

        // The sender id is part of the signed bytes; whichever one the root signature verifies with signs the message too.
        foreach (var senderId in options.Value.CallbackSenderIds)
        {
            var signedKeyBytes = LengthPrefixed(senderId, ProtocolVersion, envelope.SignedKey);
            var signedByRoot = envelope.IntermediateKeySignatures.Any(signature =>
                rootKeys.Any(rootKey => IsValidSignature(rootKey.KeyValue, signature, signedKeyBytes)));
            if (signedByRoot)
            {
                return VerifyTrustedIntermediateKeyAndMessage(envelope, senderId);
            }
        }

        return CallbackVerificationResult.Invalid(CallbackRejection.IntermediateKeySignatureInvalid);
    }

    /// <summary>
    /// Steps after the root signature: intermediate key expiry, message signature, message expiry.
    /// Only <see cref="VerifyAsync"/> may call it in production, once the intermediate key is proven to be signed by a
    /// root key. Internal (not private) so tests can check a real captured callback whose root keys are no longer published.
    /// </summary>
    internal CallbackVerificationResult VerifyTrustedIntermediateKeyAndMessage(CallbackEnvelope envelope, string senderId)
    {
        // Parsed only now: the signature above covered the exact string, \u003d escapes included.
        if (!IntermediateSigningKey.TryParse(envelope.SignedKey, out var intermediateKey))
        {
            return CallbackVerificationResult.Invalid(CallbackRejection.Malformed);
        }

        var now = timeProvider.GetUtcNow();
        if (now >= intermediateKey.ExpiresAt)
        {
            return CallbackVerificationResult.Invalid(CallbackRejection.IntermediateKeyExpired);
        }

        var signedMessageBytes = LengthPrefixed(senderId, options.Value.IssuerId, ProtocolVersion, envelope.SignedMessage);
        if (!IsValidSignature(intermediateKey.KeyValue, envelope.Signature, signedMessageBytes))
        {
            return CallbackVerificationResult.Invalid(CallbackRejection.MessageSignatureInvalid);
        }

        if (!CallbackMessage.TryParse(envelope.SignedMessage, out var message))
        {
            return CallbackVerificationResult.Invalid(CallbackRejection.Malformed);
        }

        return now >= DateTimeOffset.FromUnixTimeMilliseconds(message.ExpTimeMillis)
            ? CallbackVerificationResult.Invalid(CallbackRejection.MessageExpired)
            : CallbackVerificationResult.Valid(message);
    }

    /// <summary>The scheme's signed bytes: for each part, its UTF-8 length as 4 little-endian bytes, then the UTF-8 bytes.</summary>
    internal static byte[] LengthPrefixed(params ReadOnlySpan<string> parts)
    {
        var length = 0;
        foreach (var part in parts)
        {
            length += sizeof(int) + Encoding.UTF8.GetByteCount(part);
        }

        var bytes = new byte[length];
        var offset = 0;
        foreach (var part in parts)
        {
            var partLength = Encoding.UTF8.GetBytes(part, bytes.AsSpan(offset + sizeof(int)));
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(offset), partLength);
            offset += sizeof(int) + partLength;
        }

        return bytes;
    }

    private static bool IsValidSignature(string publicKeyBase64, string derSignatureBase64, byte[] signedBytes)
    {
        try
        {
            using var publicKey = ECDsa.Create();
            publicKey.ImportSubjectPublicKeyInfo(Convert.FromBase64String(publicKeyBase64), out _);
            return publicKey.ExportParameters(includePrivateParameters: false).Curve.Oid.Value == P256Oid
                && publicKey.VerifyData(
                    signedBytes, Convert.FromBase64String(derSignatureBase64), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (Exception exception) when (exception is FormatException or CryptographicException)
        {
            return false;
        }
    }

    private sealed record IntermediateSigningKey(string KeyValue, DateTimeOffset ExpiresAt)
    {
        public static bool TryParse(string signedKey, [NotNullWhen(true)] out IntermediateSigningKey? key)
        {
            key = null;
            try
            {
                // keyExpiration is a string of milliseconds; the web defaults read it as a number.
                var fields = JsonSerializer.Deserialize<SignedKeyFields>(signedKey, GoogleWalletJson.Options);
                if (fields is { KeyValue: { Length: > 0 } keyValue, KeyExpiration: { } expirationMillis })
                {
                    key = new IntermediateSigningKey(keyValue, DateTimeOffset.FromUnixTimeMilliseconds(expirationMillis));
                }
            }
            catch (Exception exception) when (exception is JsonException or ArgumentOutOfRangeException)
            {
                // Not the expected JSON, or a time outside DateTimeOffset's range: left null.
            }

            return key is not null;
        }

        private sealed record SignedKeyFields(string? KeyValue, long? KeyExpiration);
    }
}
