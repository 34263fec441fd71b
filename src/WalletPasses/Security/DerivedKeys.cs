using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace WalletPasses.Security;

/// <summary>
/// Keys derived (HKDF-SHA256) from the one service secret <c>WalletPasses:SigningSecret</c>, one per purpose,
/// so a key leaked from one use cannot forge another.
/// </summary>
public sealed class DerivedKeys
{
    public DerivedKeys(IOptions<WalletPassesOptions> options)
    {
        var secret = Encoding.UTF8.GetBytes(options.Value.SigningSecret);
        PassLink = Derive(secret, "walletpasses/pass-link/v1");
        AppleAuthenticationToken = Derive(secret, "walletpasses/apple-authentication-token/v1");
    }

    /// <summary>HMAC key of the customer's signed, expiring pass download links.</summary>
    public byte[] PassLink { get; }

    /// <summary>HMAC key of the authenticationToken of passes issued before tokens were stored with the member.</summary>
    public byte[] AppleAuthenticationToken { get; }

    private static byte[] Derive(byte[] secret, string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, info: Encoding.UTF8.GetBytes(purpose));
}
