using System.Buffers.Binary;
using System.Buffers.Text;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace WalletPasses.Barcodes;

/// <summary>Settings of the barcode token key, section <c>WalletPasses:Barcode</c>.</summary>
public sealed class BarcodeOptions
{
    public const string Section = "WalletPasses:Barcode";

    /// <summary>
    /// Screenshot policy: a pass version made when the barcode is at least this old carries a new barcode (token
    /// and short code), and the old one checks as outdated. Zero: a new barcode with every pass version.
    /// </summary>
    public TimeSpan ReissueAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Path of the ECDSA P-256 private key (PEM, PKCS#8 or SEC1).</summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>The same key as PEM text, for settings backed by Key Vault.</summary>
    public string? SigningKeyPem { get; set; }

    /// <summary>
    /// More keys whose tokens still verify, as PEM text with one or more <c>PUBLIC KEY</c> blocks (a private key's
    /// public half is taken too): published by <c>/api/barcode-keys</c> beside the signing key, never signing. A key
    /// is listed here before it signs (so offline staff devices have it in time) and after (so barcodes it signed
    /// keep verifying); removing it is how a key is retired (README, "Rotating the barcode key").
    /// </summary>
    public string? AcceptedKeysPem { get; set; }

    /// <summary>The same PEM blocks in a file.</summary>
    public string? AcceptedKeysFile { get; set; }
}

/// <summary>
/// The signed token a pass barcode carries, verifiable offline with the public key:
/// <c>WP1.&lt;payload&gt;.&lt;signature&gt;</c>, both base64url without padding. The payload is 24 bytes:
/// key id (first 4 bytes of SHA-256 of the public key's SubjectPublicKeyInfo), the pass serial number
/// (16 bytes) and the issue time (uint32 Unix seconds, big-endian). The signature is ECDSA P-256 with
/// SHA-256 in IEEE P1363 form (r||s, 64 bytes, what WebCrypto verifies) over the ASCII text
/// <c>WP1.&lt;payload&gt;</c>. About 120 characters: a small QR code.
/// Only the canonical form is accepted: unpadded base64url that re-encodes to the same text, and a
/// low-s signature (s ≤ n/2), since ECDSA's (r, n−s) verifies too and anything keyed by the token text
/// (replay detection, idempotency, logs) would otherwise see two barcodes for one pass.
/// </summary>
public sealed class BarcodeTokens : IDisposable
{
    public const string Prefix = "WP1.";
    private const int KeyIdLength = 4;
    private const int SerialLength = 16;
    private const int PayloadLength = KeyIdLength + SerialLength + 4;
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

    public string Issue(string serialNumber, DateTimeOffset issuedAt)
    {
        Span<byte> payload = stackalloc byte[PayloadLength];
        _keyId.CopyTo(payload);
        if (Convert.FromHexString(serialNumber, payload.Slice(KeyIdLength, SerialLength), out _, out var written) != System.Buffers.OperationStatus.Done || written != SerialLength)
        {
            throw new ArgumentException("A serial number is 32 hex digits.", nameof(serialNumber));
        }

        BinaryPrimitives.WriteUInt32BigEndian(payload[(KeyIdLength + SerialLength)..], (uint)issuedAt.ToUnixTimeSeconds());
        var signingInput = Prefix + Base64Url.EncodeToString(payload);
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signingInput + "." + Base64Url.EncodeToString(LowS(signature));
    }

    public BarcodeVerification Verify(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 200 || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return BarcodeVerification.Invalid("malformed");
        }

        var dot = token.LastIndexOf('.');
        if (dot <= Prefix.Length)
        {
            return BarcodeVerification.Invalid("malformed");
        }

        Span<byte> payload = stackalloc byte[PayloadLength + 1];
        Span<byte> signature = stackalloc byte[SignatureLength + 1];
        if (Base64Url.DecodeFromChars(token.AsSpan(Prefix.Length, dot - Prefix.Length), payload, out _, out var payloadLength) != System.Buffers.OperationStatus.Done
            || payloadLength != PayloadLength
            || Base64Url.DecodeFromChars(token.AsSpan(dot + 1), signature, out _, out var signatureLength) != System.Buffers.OperationStatus.Done
            || signatureLength != SignatureLength
            || !IsCanonical(token.AsSpan(Prefix.Length, dot - Prefix.Length), payload[..PayloadLength])
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

        var serial = Convert.ToHexStringLower(payload.Slice(KeyIdLength, SerialLength));
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadUInt32BigEndian(payload.Slice(KeyIdLength + SerialLength, 4)));
        return new BarcodeVerification(true, null, serial, issuedAt, keyId);
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

/// <param name="KeyId">The id (hex) of the key that signed the token, when it verified.</param>
public sealed record BarcodeVerification(bool IsValid, string? FailureReason, string? SerialNumber, DateTimeOffset? IssuedAt, string? KeyId = null)
{
    public static BarcodeVerification Invalid(string reason) => new(false, reason, null, null);
}

/// <summary>A key tokens may carry: its id, its public key (DER SubjectPublicKeyInfo) and whether it signs new tokens.</summary>
public sealed record BarcodeVerificationKey(string KeyId, byte[] PublicKeySpki, bool Signing);

public sealed class BarcodeOptionsValidator : IValidateOptions<BarcodeOptions>
{
    public ValidateOptionsResult Validate(string? name, BarcodeOptions options)
    {
        if (options.ReissueAfter < TimeSpan.Zero || options.ReissueAfter > TimeSpan.FromDays(365))
        {
            return ValidateOptionsResult.Fail("WalletPasses:Barcode:ReissueAfter must be between 00:00:00 (a new barcode with every pass version) and 365.00:00:00.");
        }

        var pem = options.SigningKeyPem;
        if (string.IsNullOrWhiteSpace(pem))
        {
            if (string.IsNullOrWhiteSpace(options.SigningKeyFile))
            {
                return ValidateOptionsResult.Fail("WalletPasses:Barcode:SigningKeyFile (or SigningKeyPem) is not set: passes need a P-256 key to sign their barcodes. Create one with: openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -out barcode-signing-key.pem");
            }

            if (!File.Exists(options.SigningKeyFile))
            {
                return ValidateOptionsResult.Fail($"WalletPasses:Barcode:SigningKeyFile: no file at '{Path.GetFullPath(options.SigningKeyFile)}'.");
            }

            pem = File.ReadAllText(options.SigningKeyFile);
        }

        try
        {
            using var key = ECDsa.Create();
            key.ImportFromPem(pem);
            if (!AcceptedBarcodeKeys.IsP256(key))
            {
                return ValidateOptionsResult.Fail("WalletPasses:Barcode: the signing key must be an ECDSA P-256 (prime256v1) key.");
            }
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return ValidateOptionsResult.Fail("WalletPasses:Barcode: the signing key is not a PEM ECDSA private key.");
        }

        var (accepted, error) = AcceptedBarcodeKeys.Read(options);
        foreach (var key in accepted)
        {
            key.Dispose();
        }

        return error is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(error);
    }
}
