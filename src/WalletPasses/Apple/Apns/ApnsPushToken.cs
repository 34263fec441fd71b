using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace WalletPasses.Apple.Apns;

/// <summary>Shape checks and log-safe rendering of APNs device tokens.</summary>
public static class ApnsPushToken
{
    public const int MinLength = 64;
    public const int MaxLength = 200;

    private const int LoggedPrefixLength = 8;

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>A token is hex text of 64 to 200 characters; anything else never reaches APNs.</summary>
    public static bool IsValid([NotNullWhen(true)] string? pushToken) =>
        pushToken is { Length: >= MinLength and <= MaxLength } && !pushToken.AsSpan().ContainsAnyExcept(HexDigits);

    /// <summary>
    /// A short prefix for logs: enough to correlate lines, not enough to push to the device.
    /// </summary>
    public static string Redact(string pushToken)
    {
        ArgumentNullException.ThrowIfNull(pushToken);
        return pushToken.Length <= LoggedPrefixLength ? "…" : string.Concat(pushToken.AsSpan(0, LoggedPrefixLength), "…");
    }
}
