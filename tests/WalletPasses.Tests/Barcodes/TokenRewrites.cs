using System.Buffers.Text;
using System.Globalization;
using System.Numerics;

namespace WalletPasses.Tests.Barcodes;

/// <summary>
/// What an attacker can do to a valid token without the private key. ECDSA signatures are malleable: with
/// n the group order, (r, n − s) verifies whenever (r, s) does (SEC 1 v2, section 4.1.4, checks only
/// 1 ≤ s ≤ n − 1); and base64url decoders forgive padding (RFC 4648, section 3.2 makes it optional in URLs).
/// </summary>
public static class TokenRewrites
{
    /// <summary>The order n of the P-256 group (SEC 2 v2, section 2.4.2).</summary>
    public static readonly BigInteger P256Order = BigInteger.Parse("0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", NumberStyles.HexNumber);

    /// <summary>The same token with its signature (r, s) replaced by (r, n − s).</summary>
    public static string HighS(string token)
    {
        var dot = token.LastIndexOf('.');
        var signature = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        var s = new BigInteger(signature.AsSpan(32), isUnsigned: true, isBigEndian: true);
        var flipped = (P256Order - s).ToByteArray(isUnsigned: true, isBigEndian: true);
        Array.Clear(signature, 32, 32);
        flipped.CopyTo(signature, 64 - flipped.Length);
        return token[..(dot + 1)] + Base64Url.EncodeToString(signature);
    }

    /// <summary>The token in low-s form (what any signer who knows the rule sends).</summary>
    public static string LowS(string token) => S(token) > P256Order / 2 ? HighS(token) : token;

    /// <summary>The s half of the token's signature, as an unsigned big-endian number.</summary>
    public static BigInteger S(string token) =>
        new(Base64Url.DecodeFromChars(token.AsSpan(token.LastIndexOf('.') + 1)).AsSpan(32), isUnsigned: true, isBigEndian: true);

    /// <summary>
    /// 64 bytes take 86 base64url characters, whose last one carries 4 unused bits (RFC 4648, section 3.5 lets
    /// decoders ignore them): flipping the lowest one spells the same signature differently.
    /// </summary>
    public static string UnusedBitsSet(string token)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return token[..^1] + alphabet[alphabet.IndexOf(token[^1], StringComparison.Ordinal) ^ 1];
    }

    /// <summary>The token with its 86-character signature padded to a multiple of four, as standard base64 would be.</summary>
    public static string Padded(string token) => token + "==";
}
