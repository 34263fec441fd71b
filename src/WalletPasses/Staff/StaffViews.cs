using System.Globalization;
using System.Text.RegularExpressions;
using WalletPasses.Members;
using WalletPasses.Templates;

namespace WalletPasses.Staff;

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
