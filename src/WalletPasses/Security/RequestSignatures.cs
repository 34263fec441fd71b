using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace WalletPasses.Security;

/// <summary>
/// The HMAC scheme of signed HTTP bodies in both directions (loyalty events in, webhooks out):
/// <c>X-WalletPasses-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "&lt;t&gt;." + body)&gt;</c>.
/// The timestamp is signed too, so a captured request cannot be replayed outside the tolerance.
/// </summary>
public static class RequestSignatures
{
    public const string Header = "X-WalletPasses-Signature";

    public static string Create(string secret, DateTimeOffset now, ReadOnlySpan<byte> body)
    {
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={timestamp},v1={Convert.ToHexStringLower(Compute(secret, timestamp, body))}";
    }

    public static bool Verify(string? headerValue, ReadOnlySpan<byte> body, string secret, TimeSpan tolerance, DateTimeOffset now)
    {
        string? timestamp = null, signature = null;
        foreach (var part in (headerValue ?? "").Split(','))
        {
            var pair = part.Trim().Split('=', 2);
            if (pair.Length == 2 && pair[0] == "t")
            {
                timestamp = pair[1];
            }
            else if (pair.Length == 2 && pair[0] == "v1")
            {
                signature = pair[1];
            }
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(now.ToUnixTimeSeconds() - seconds) > tolerance.TotalSeconds
            || signature is not { Length: 64 } || !signature.All(Uri.IsHexDigit))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Compute(secret, timestamp!, body), Convert.FromHexString(signature));
    }

    private static byte[] Compute(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(Encoding.ASCII.GetBytes(timestamp + "."));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }
}
