using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using WalletPasses.Security;

namespace WalletPasses.Apple;

/// <summary>
/// The customer's links: <c>/{route}/{serial}?expires=&lt;unix&gt;&amp;signature=&lt;HMAC&gt;</c>.
/// Anyone holding a link can use it until it expires; nobody can make one for another serial or route.
/// </summary>
public sealed class PassLinks(DerivedKeys keys, IOptions<WalletPassesOptions> options, TimeProvider time)
{
    public const string RoutePrefix = "api/apple/passes/";

    public Uri Create(string serialNumber) => Create(PassLinkKind.ApplePass, serialNumber);

    public Uri Create(PassLinkKind kind, string serialNumber)
    {
        var expires = time.GetUtcNow().Add(options.Value.PassLinkLifetime).ToUnixTimeSeconds();
        return new Uri(options.Value.BaseUri, $"{kind.RoutePrefix}{serialNumber}?expires={expires}&signature={Sign(kind, serialNumber, expires)}");
    }

    public PassLinkCheck Check(string serialNumber, string? expires, string? signature) =>
        Check(PassLinkKind.ApplePass, serialNumber, expires, signature);

    public PassLinkCheck Check(PassLinkKind kind, string serialNumber, string? expires, string? signature)
    {
        if (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt) || string.IsNullOrEmpty(signature))
        {
            return PassLinkCheck.Invalid;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(kind, serialNumber, expiresAt));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature)))
        {
            return PassLinkCheck.Invalid;
        }

        return time.GetUtcNow().ToUnixTimeSeconds() >= expiresAt ? PassLinkCheck.Expired : PassLinkCheck.Valid;
    }

    private string Sign(PassLinkKind kind, string serialNumber, long expires) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(keys.PassLink, Encoding.UTF8.GetBytes($"{kind.Purpose}|{serialNumber}|{expires}")));
}
