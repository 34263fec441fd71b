using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using WalletPasses.Members;
using WalletPasses.Security;

namespace WalletPasses.Apple;

/// <summary>
/// The customer's links: <c>/{route}/{serial}?expires=&lt;unix&gt;&amp;tag=&lt;token tag&gt;&amp;signature=&lt;HMAC&gt;</c>.
/// Anyone holding a link can use it until it expires or the pass's authenticationToken is revoked; nobody can make one
/// for another serial or route. The tag is a keyed hash of the pass's token when the link was made, so revoking the token
/// (a pass in other hands) also retires every link issued before, whose download would carry the new token. Links made
/// before links carried a tag have none and stay valid until they expire.
/// </summary>
public sealed class PassLinks(DerivedKeys keys, IOptions<WalletPassesOptions> options, TimeProvider time)
{
    public const string RoutePrefix = "api/apple/passes/";

    // 64 bits of the keyed hash: enough that a revoked link's tag never matches the new token's by chance.
    private const int TagBytes = 8;

    public Uri Create(PassLinkKind kind, MemberPass pass)
    {
        var expires = time.GetUtcNow().Add(options.Value.PassLinkLifetime).ToUnixTimeSeconds();
        var tag = TagOf(pass);
        return new Uri(options.Value.BaseUri, $"{kind.RoutePrefix}{pass.SerialNumber}?expires={expires}&tag={tag}&signature={Sign(kind, pass.SerialNumber, expires, tag)}");
    }

    /// <summary>Whether the link is genuine and unexpired; <see cref="IsCurrent"/> then checks it against the member's pass.</summary>
    public PassLinkCheck Check(PassLinkKind kind, string serialNumber, string? expires, string? tag, string? signature)
    {
        if (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt) || string.IsNullOrEmpty(signature) || tag?.Length == 0)
        {
            return PassLinkCheck.Invalid;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(kind, serialNumber, expiresAt, tag));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature)))
        {
            return PassLinkCheck.Invalid;
        }

        return time.GetUtcNow().ToUnixTimeSeconds() >= expiresAt ? PassLinkCheck.Expired : PassLinkCheck.Valid;
    }

    /// <summary>Whether a genuine link's tag is that of the pass's current token (a link without a tag predates tags).</summary>
    public bool IsCurrent(string? tag, MemberPass pass) =>
        tag is null || CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(tag), Encoding.ASCII.GetBytes(TagOf(pass)));

    private string TagOf(MemberPass pass) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(keys.PassLink, Encoding.UTF8.GetBytes("token|" + (pass.AuthenticationToken ?? ""))).AsSpan(0, TagBytes));

    private string Sign(PassLinkKind kind, string serialNumber, long expires, string? tag) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(keys.PassLink, Encoding.UTF8.GetBytes(
            tag is null ? $"{kind.Purpose}|{serialNumber}|{expires}" : $"{kind.Purpose}|{serialNumber}|{expires}|{tag}")));
}
