using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using WalletPasses.Members;
using WalletPasses.Security;

namespace WalletPasses.Apple;

/// <summary>
/// A pass's authenticationToken: 32 random bytes (base64url, 43 characters) stored with the member, which
/// is its one source of truth: the pass is built with it and devices are checked against it, so rotating
/// <c>WalletPasses:SigningSecret</c> changes neither, and revoking one pass replaces only its token.
/// Passes issued before tokens were stored carry HMAC(signing-secret key, serial number) instead.
/// </summary>
public sealed class AuthenticationTokens(DerivedKeys keys)
{
    /// <summary>The token the pass carries and devices must present.</summary>
    public string For(MemberPass pass) => pass.AuthenticationToken ?? DerivedFor(pass.SerialNumber);

    /// <summary>
    /// Constant-time check of a presented token against the pass's token, character for character, with no
    /// allocation (it runs on every device call). Only a length mismatch answers early, and every token's length
    /// is public: 43 characters, the base64url of 32 bytes, stored and derived alike.
    /// </summary>
    public bool Matches(MemberPass pass, ReadOnlySpan<char> presentedToken) =>
        CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(presentedToken), MemoryMarshal.AsBytes(For(pass).AsSpan()));

    private string DerivedFor(string serialNumber) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(keys.AppleAuthenticationToken, Encoding.UTF8.GetBytes(serialNumber)));
}
