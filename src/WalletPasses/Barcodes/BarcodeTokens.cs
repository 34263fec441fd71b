using System.Buffers.Binary;
using System.Buffers.Text;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace WalletPasses.Barcodes;

/// <summary>
/// The signed token a pass barcode carries, verifiable offline with the public key:
/// <c>WP2.&lt;payload&gt;.&lt;signature&gt;</c>, both base64url without padding. The payload is 28 bytes:
/// key id (first 4 bytes of SHA-256 of the public key's SubjectPublicKeyInfo), program tag (first 4 bytes of SHA-256
/// of the UTF-8 program id, see <see cref="ProgramTag"/>), the pass serial number (16 bytes) and the issue time
/// (uint32 Unix seconds, big-endian). The signature is ECDSA P-256 with SHA-256 in IEEE P1363 form (r||s, 64 bytes,
/// what WebCrypto verifies) over the ASCII text <c>WP2.&lt;payload&gt;</c>. About 130 characters: a small QR code.
/// One key signs every program's passes, so the tag is what lets an offline verifier limited to some programs refuse
/// another program's pass. <c>WP1.</c> tokens (issued before, 24 bytes: the same without the tag) still verify, with
/// no program; a pass carrying one gets a WP2 token with its next version.
/// Only the canonical form is accepted: unpadded base64url that re-encodes to the same text, and a
/// low-s signature (s ≤ n/2), since ECDSA's (r, n−s) verifies too and anything keyed by the token text
/// (replay detection, idempotency, logs) would otherwise see two barcodes for one pass.
/// </summary>
public sealed class BarcodeTokens : IDisposable
{
    /// <summary>The prefix of the tokens issued now.</summary>
    public const string Prefix = "WP2.";

    /// <summary>The prefix of tokens issued before they named their program: still verified.</summary>
    public const string ProgramlessPrefix = "WP1.";
    private const int KeyIdLength = 4;
    private const int ProgramTagLength = 4;
    private const int SerialLength = 16;
    private const int ProgramlessPayloadLength = KeyIdLength + SerialLength + 4;
    private const int PayloadLength = KeyIdLength + ProgramTagLength + SerialLength + 4;
    private const int SignatureLength = 64;

    private readonly ECDsa _key;
    private readonly byte[] _keyId;
    private readonly Dictionary<string, ECDsa> _verifiers = new(StringComparer.Ordinal);

    public BarcodeTokens(IOptions<BarcodeOptions> options)
        : this(LoadKey(options.Value), AcceptedBarcodeKeys.Read(options.Value).Keys)
    {
    }

    /// <param name="key">Signs new tokens (and verifies them).</param>
    /// <param name="accepted">Only verify: older keys whose tokens are still out there, or the next key, published ahead of signing.</param>
    public BarcodeTokens(ECDsa key, IEnumerable<ECDsa>? accepted = null)
    {
        _key = key;
        PublicKeySpki = key.ExportSubjectPublicKeyInfo();
        _keyId = SHA256.HashData(PublicKeySpki)[..KeyIdLength];
        var keys = new List<BarcodeVerificationKey> { new(KeyId, PublicKeySpki, Signing: true) };
        _verifiers[KeyId] = key;
        foreach (var other in accepted ?? [])
        {
            var spki = other.ExportSubjectPublicKeyInfo();
            var keyId = Convert.ToHexStringLower(SHA256.HashData(spki).AsSpan(0, KeyIdLength));
            if (_verifiers.TryAdd(keyId, other))
            {
                keys.Add(new BarcodeVerificationKey(keyId, spki, Signing: false));
            }
        }

        Keys = keys;
    }

    /// <summary>The signing key's public key (DER SubjectPublicKeyInfo).</summary>
    public byte[] PublicKeySpki { get; }

    /// <summary>The id (hex) of the key that signs new tokens.</summary>
    public string KeyId => Convert.ToHexStringLower(_keyId);

    /// <summary>Every key a token may be signed with, the signing key first: what offline verifiers fetch.</summary>
    public IReadOnlyList<BarcodeVerificationKey> Keys { get; }

    /// <summary>Whether the text is a barcode token (of either version) rather than a typed short code.</summary>
    public static bool IsToken(string text) =>
        text.StartsWith(Prefix, StringComparison.Ordinal) || text.StartsWith(ProgramlessPrefix, StringComparison.Ordinal);

    /// <summary>The tag (hex) a token carries for <paramref name="programId"/>: the first 4 bytes of SHA-256 of its UTF-8 bytes.</summary>
    public static string ProgramTag(string programId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(programId)).AsSpan(0, ProgramTagLength));

    public string Issue(string serialNumber, string programId, DateTimeOffset issuedAt)
    {
        Span<byte> payload = stackalloc byte[PayloadLength];
        _keyId.CopyTo(payload);
        Convert.FromHexString(ProgramTag(programId), payload.Slice(KeyIdLength, ProgramTagLength), out _, out _);
        if (Convert.FromHexString(serialNumber, payload.Slice(KeyIdLength + ProgramTagLength, SerialLength), out _, out var written) != System.Buffers.OperationStatus.Done || written != SerialLength)
        {
            throw new ArgumentException("A serial number is 32 hex digits.", nameof(serialNumber));
        }

        BinaryPrimitives.WriteUInt32BigEndian(payload[(KeyIdLength + ProgramTagLength + SerialLength)..], (uint)issuedAt.ToUnixTimeSeconds());
        var signingInput = Prefix + Base64Url.EncodeToString(payload);
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signingInput + "." + Base64Url.EncodeToString(LowS(signature));
    }

    public BarcodeVerification Verify(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 200 || !IsToken(token))
        {
            return BarcodeVerification.Invalid("malformed");
        }

        // Both prefixes are 4 characters; only the payload length and the tag differ.
        var tagLength = token.StartsWith(Prefix, StringComparison.Ordinal) ? ProgramTagLength : 0;
        var payloadLength = ProgramlessPayloadLength + tagLength;

        var dot = token.LastIndexOf('.');
        if (dot <= Prefix.Length)
        {
            return BarcodeVerification.Invalid("malformed");
        }

        Span<byte> payload = stackalloc byte[PayloadLength + 1];
        Span<byte> signature = stackalloc byte[SignatureLength + 1];
        if (Base64Url.DecodeFromChars(token.AsSpan(Prefix.Length, dot - Prefix.Length), payload, out _, out var decodedLength) != System.Buffers.OperationStatus.Done
            || decodedLength != payloadLength
            || Base64Url.DecodeFromChars(token.AsSpan(dot + 1), signature, out _, out var signatureLength) != System.Buffers.OperationStatus.Done
            || signatureLength != SignatureLength
            || !IsCanonical(token.AsSpan(Prefix.Length, dot - Prefix.Length), payload[..payloadLength])
            || !IsCanonical(token.AsSpan(dot + 1), signature[..SignatureLength])
            || !IsLowS(signature[..SignatureLength]))
        {
            return BarcodeVerification.Invalid("malformed");
        }

        var keyId = Convert.ToHexStringLower(payload[..KeyIdLength]);
        if (!_verifiers.TryGetValue(keyId, out var verifier))
        {
            return BarcodeVerification.Invalid("unknown-key");
        }

        if (!verifier.VerifyData(Encoding.ASCII.GetBytes(token[..dot]), signature[..SignatureLength], HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            return BarcodeVerification.Invalid("forged");
        }

        var programTag = tagLength == 0 ? null : Convert.ToHexStringLower(payload.Slice(KeyIdLength, tagLength));
        var serial = Convert.ToHexStringLower(payload.Slice(KeyIdLength + tagLength, SerialLength));
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadUInt32BigEndian(payload.Slice(KeyIdLength + tagLength + SerialLength, 4)));
        return new BarcodeVerification(true, null, serial, issuedAt, keyId, programTag);
    }

    /// <summary>The order n of the P-256 group (SEC 2, section 2.4.2).</summary>
    private static readonly BigInteger Order = BigInteger.Parse("0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", System.Globalization.NumberStyles.HexNumber);

    private static readonly BigInteger HalfOrder = Order / 2;

    /// <summary>The same signature with s replaced by n − s when s is above n/2 (both verify).</summary>
    private static byte[] LowS(byte[] signature)
    {
        var s = new BigInteger(signature.AsSpan(SignatureLength / 2), isUnsigned: true, isBigEndian: true);
        if (s > HalfOrder)
        {
            // Right-aligned in its fixed 32-byte big-endian field.
            var low = (Order - s).ToByteArray(isUnsigned: true, isBigEndian: true);
            var field = signature.AsSpan(SignatureLength / 2);
            field.Clear();
            low.CopyTo(field[(field.Length - low.Length)..]);
        }

        return signature;
    }

    private static bool IsLowS(ReadOnlySpan<byte> signature) =>
        new BigInteger(signature[(SignatureLength / 2)..], isUnsigned: true, isBigEndian: true) <= HalfOrder;

    /// <summary>Base64url decoders forgive padding, whitespace and unused trailing bits; the canonical text is the one re-encoding gives.</summary>
    private static bool IsCanonical(ReadOnlySpan<char> text, ReadOnlySpan<byte> decoded) =>
        text.SequenceEqual(Base64Url.EncodeToString(decoded));

    private static ECDsa LoadKey(BarcodeOptions options)
    {
        var pem = options.SigningKeyPem;
        if (string.IsNullOrWhiteSpace(pem) && !string.IsNullOrWhiteSpace(options.SigningKeyFile) && File.Exists(options.SigningKeyFile))
        {
            pem = File.ReadAllText(options.SigningKeyFile);
        }

        var key = ECDsa.Create();
        key.ImportFromPem(pem);
        return key;
    }

    public void Dispose()
    {
        foreach (var verifier in _verifiers.Values)
        {
            verifier.Dispose();
        }
    }
}
