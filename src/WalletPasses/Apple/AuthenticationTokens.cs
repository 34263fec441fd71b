using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using WalletPasses.Security;

namespace WalletPasses.Apple;

/// <summary>
/// A pass's authenticationToken is HMAC-SHA256(derived key, serial number), base64url: 43 random-looking
/// characters that every rebuild of the pass reproduces, so the token itself is never stored; the
/// pass index keeps only its SHA-256 to check what devices present.
/// </summary>
public sealed class AuthenticationTokens(DerivedKeys keys)
{
    public string For(string serialNumber) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(keys.AppleAuthenticationToken, Encoding.UTF8.GetBytes(serialNumber)));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Constant-time check of a presented token against the stored hash.</summary>
    public static bool Matches(string presentedToken, string storedHash)
    {
        Span<byte> stored = stackalloc byte[32];
        return Convert.FromHexString(storedHash, stored, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == 32
            && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presentedToken)), stored);
    }
}
