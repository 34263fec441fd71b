using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using WalletPasses.Security;

namespace WalletPasses.Apple;

public enum PassLinkCheck
{
    Valid,
    Invalid,
    Expired,
}

/// <summary>
/// The customer's download link: <c>/api/apple/passes/{serial}?expires=&lt;unix&gt;&amp;signature=&lt;HMAC&gt;</c>.
/// Anyone holding the link can fetch the pass until it expires; nobody can make one for another serial.
/// </summary>
public sealed class PassLinks(DerivedKeys keys, IOptions<WalletPassesOptions> options, TimeProvider time)
{
    public const string RoutePrefix = "api/apple/passes/";

    public Uri Create(string serialNumber)
    {
        var expires = time.GetUtcNow().Add(options.Value.PassLinkLifetime).ToUnixTimeSeconds();
        return new Uri(options.Value.BaseUri, $"{RoutePrefix}{serialNumber}?expires={expires}&signature={Sign(serialNumber, expires)}");
    }

    public PassLinkCheck Check(string serialNumber, string? expires, string? signature)
    {
        if (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt) || string.IsNullOrEmpty(signature))
        {
            return PassLinkCheck.Invalid;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(serialNumber, expiresAt));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature)))
        {
            return PassLinkCheck.Invalid;
        }

        return time.GetUtcNow().ToUnixTimeSeconds() >= expiresAt ? PassLinkCheck.Expired : PassLinkCheck.Valid;
    }

    private string Sign(string serialNumber, long expires) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(keys.PassLink, Encoding.UTF8.GetBytes($"apple-pass|{serialNumber}|{expires}")));
}
