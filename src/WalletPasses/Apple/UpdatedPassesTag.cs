using System.Globalization;
using System.Text;
using WalletPasses.Members;

namespace WalletPasses.Apple;

/// <summary>
/// The <c>lastUpdated</c> tag of Apple's "Get the List of Updatable Passes"
/// (https://developer.apple.com/documentation/walletpasses/get-the-list-of-updatable-passes): an opaque string
/// the device sends back as <c>passesUpdatedSince</c>. Here it is a cursor of pass versions, not a time: the
/// version of every pass registered on the device when it was answered (<c>v1.{serial prefix}-{version}...</c>).
/// A pass is "updated since" when its current version differs from the one in the tag, so no clock, burst or
/// commit order can make a change be skipped, and an unchanged pass is never listed again. Pure.
/// </summary>
public static class UpdatedPassesTag
{
    private const string Version1 = "v1";

    /// <summary>48 bits of the (random) serial number tell one device's passes apart.</summary>
    private const int SerialPrefixLength = 12;

    /// <summary>The tag for a device whose registered passes are now at these versions.</summary>
    public static string For(IEnumerable<MemberPass> passes)
    {
        var tag = new StringBuilder(Version1);
        foreach (var pass in passes.OrderBy(p => p.SerialNumber, StringComparer.Ordinal))
        {
            tag.Append('.').Append(PrefixOf(pass.SerialNumber)).Append('-').Append(pass.Version.ToString(CultureInfo.InvariantCulture));
        }

        return tag.ToString();
    }

    /// <summary>
    /// The passes whose version is not the one the tag recorded. A missing, empty, unknown or unreadable tag
    /// (a device restored from a backup, or a tag of an earlier version of this service) lists every pass:
    /// one extra refetch answered 304 is cheap, a device that never syncs again is not.
    /// </summary>
    public static IReadOnlyList<MemberPass> ChangedSince(IReadOnlyList<MemberPass> current, string? tag)
    {
        var known = Parse(tag);
        return known is null
            ? current
            : current.Where(pass => !known.TryGetValue(PrefixOf(pass.SerialNumber), out var version) || version != pass.Version).ToList();
    }

    /// <summary>Serial prefix to version; a prefix seen twice maps to -1 (matches no version), null when unreadable.</summary>
    private static Dictionary<string, long>? Parse(string? tag)
    {
        var parts = tag?.Split('.');
        if (parts is null || parts[0] != Version1)
        {
            return null;
        }

        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var part in parts.Skip(1))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            if (dash != SerialPrefixLength || !long.TryParse(part.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                return null;
            }

            versions[part[..dash]] = versions.ContainsKey(part[..dash]) ? -1 : version;
        }

        return versions;
    }

    private static string PrefixOf(string serialNumber) => serialNumber[..Math.Min(SerialPrefixLength, serialNumber.Length)];
}
