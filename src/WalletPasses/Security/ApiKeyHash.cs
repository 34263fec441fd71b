using System.Security.Cryptography;
using System.Text;

namespace WalletPasses.Security;

/// <summary>Keys are compared as SHA-256 hashes in constant time, so neither timing nor storage reveals them.</summary>
public static class ApiKeyHash
{
    public const int MinimumKeyLength = 12;
    private const string HashPrefix = "sha256:";

    public static byte[] Of(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public static bool IsHashForm(string configured) => configured.StartsWith(HashPrefix, StringComparison.OrdinalIgnoreCase);

    public static bool TryParseConfigured(string configured, out byte[] hash)
    {
        if (IsHashForm(configured))
        {
            var hex = configured[HashPrefix.Length..];
            if (hex.Length == 64 && hex.All(Uri.IsHexDigit))
            {
                hash = Convert.FromHexString(hex);
                return true;
            }
        }
        else if (configured.Length >= MinimumKeyLength)
        {
            hash = Of(configured);
            return true;
        }

        hash = [];
        return false;
    }
}
