using System.Globalization;
using System.Text.RegularExpressions;
using WalletPasses.Barcodes;
using WalletPasses.Members;
using WalletPasses.Security;
using WalletPasses.Templates;

namespace WalletPasses.Staff;

/// <summary>Why a scanned barcode is not a valid pass; the codes staff clients show and branch on.</summary>
public static class ScanReasons
{
    /// <summary>Not a WalletPasses token at all, or cut short.</summary>
    public const string Malformed = "malformed";

    /// <summary>Signed with another deployment's (another program's) key.</summary>
    public const string UnknownKey = "unknown-key";

    /// <summary>Our key id, but the signature does not verify.</summary>
    public const string Forged = "forged";

    /// <summary>Genuine token, but no such pass (never issued here, or its member is gone).</summary>
    public const string Unknown = "unknown";

    /// <summary>The pass was voided: its member was erased, or a newer pass replaced it.</summary>
    public const string Voided = "voided";

    /// <summary>A genuine barcode of the pass, but an older one than the pass now shows: a screenshot or an old copy.</summary>
    public const string Outdated = "outdated";
}

/// <summary>The outcome of checking a scanned barcode: valid when <see cref="Reason"/> is null.</summary>
public sealed record PassCheckResult(string? Reason, string? SerialNumber, Member? Member)
{
    public bool Valid => Reason is null;
}

/// <summary>
/// Verifies a barcode token offline (or looks a typed short code's token up), then looks its pass and member up
/// (two point reads). Only the barcode the pass shows now is valid: an older one of the same pass is
/// <see cref="ScanReasons.Outdated"/> (see <see cref="PassBarcodes"/> for when a pass gets a new one).
/// </summary>
public sealed class PassChecker(BarcodeTokens barcodes, PassBarcodes passBarcodes, MemberStore members)
{
    public async Task<PassCheckResult> CheckAsync(string barcode, CancellationToken cancellationToken)
    {
        var text = barcode.Trim();
        if (!text.StartsWith(BarcodeTokens.Prefix, StringComparison.Ordinal) && ShortCodes.Normalize(text) is not null)
        {
            var found = await passBarcodes.TokenOfShortCodeAsync(text, cancellationToken);
            if (found is null)
            {
                return new PassCheckResult(ScanReasons.Unknown, null, null);
            }

            text = found;
        }

        var token = barcodes.Verify(text);
        if (!token.IsValid)
        {
            return new PassCheckResult(token.FailureReason, null, null);
        }

        var serial = token.SerialNumber!;
        var pass = await members.GetPassAsync(serial, cancellationToken);
        var member = pass is null ? null : await members.GetAsync(pass.MemberId, cancellationToken);
        if (member is null)
        {
            return new PassCheckResult(ScanReasons.Unknown, serial, null);
        }

        // Erasure voids the pass; a member erased and enrolled again has a new serial, so the old one is void too.
        if (member.Pass.SerialNumber != serial || member.Pass.Voided || member.Deleted)
        {
            return new PassCheckResult(ScanReasons.Voided, serial, member);
        }

        if (text == member.Pass.BarcodeMessage)
        {
            return new PassCheckResult(null, serial, member);
        }

        // Same pass, another barcode: an older one is a copy from before the pass changed; a newer one was
        // issued for a version whose write failed, so the pass never showed it.
        return barcodes.Verify(member.Pass.BarcodeMessage).IssuedAt is { } current && token.IssuedAt < current
            ? new PassCheckResult(ScanReasons.Outdated, serial, member)
            : new PassCheckResult(ScanReasons.Unknown, serial, member);
    }
}

/// <summary>What staff see of a member: first name and last initial only, tier and points.</summary>
public sealed record StaffMemberView(string DisplayName, TierView Tier, long Points);

public sealed record TierView(string Id, string Name);

/// <summary>How staff see members and template texts, in the staff device's language.</summary>
public static partial class StaffViews
{
    public static StaffMemberView MemberView(Member member, ProgramTemplate template, string language) => new(
        ShortName(member.Profile.DisplayName),
        new TierView(member.Profile.Tier, template.Text(TemplateKeys.Tier(member.Profile.Tier), language)),
        member.Profile.Points);

    /// <summary>"Jane Doe" -> "Jane D.": enough to greet a customer, little to leak over a shoulder.</summary>
    public static string ShortName(string displayName)
    {
        var parts = Whitespace().Split(displayName.Trim()).Where(p => p.Length > 0).ToArray();
        if (parts.Length == 0)
        {
            return "";
        }

        if (parts.Length == 1)
        {
            return parts[0];
        }

        var last = parts[^1];
        return $"{parts[0]} {last[..StringInfo.GetNextTextElementLength(last)]}.";
    }

    /// <summary>The first language of the request's Accept-Language the template has texts for, else its default.</summary>
    public static string Language(HttpRequest request, ProgramTemplate template)
    {
        var accepted = request.GetTypedHeaders().AcceptLanguage
            .Where(l => l.Quality is null or > 0)
            .OrderByDescending(l => l.Quality ?? 1)
            .Select(l => l.Value.Value ?? "");
        foreach (var tag in accepted)
        {
            if (template.Strings.ContainsKey(tag))
            {
                return tag;
            }

            var primary = tag.Split('-')[0];
            if (template.Strings.ContainsKey(primary))
            {
                return primary;
            }
        }

        return template.DefaultLanguage;
    }

    public static string PerkTitle(ProgramTemplate template, string perkId, string language) => template.Text(TemplateKeys.Perk(perkId), language);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

/// <summary>Input rules shared by the staff routes.</summary>
public static class StaffInput
{
    public const int MaxNameLength = 64;

    /// <summary>
    /// Locations and staff key names become Table Storage keys, queue messages and log values: short,
    /// letters, digits, '.', '_' and '-', starting with a letter or digit.
    /// </summary>
    public static string? NameError(string field, string? value) =>
        !IdentifierFormat.ShortName.IsValid(value)
            ? $"{field} must be 1 to {MaxNameLength} letters, digits, '.', '_' or '-', starting with a letter or digit."
            : null;

    /// <summary>Idempotency keys (a UUID is typical): 8 to 100 characters, the same safe set plus ':'.</summary>
    public static string? IdempotencyKeyError(string? value) =>
        !IdentifierFormat.IdempotencyKey.IsValid(value)
            ? "An idempotency key (header Idempotency-Key or field idempotencyKey) of 8 to 100 letters, digits, '.', '_', ':' or '-' is required."
            : null;
}
