using System.Text.RegularExpressions;
using WalletPasses.Templates;

namespace WalletPasses.Conformance;

/// <summary>
/// The template's <c>poster</c> and <c>links</c> settings, checked where the author wrote them: what the built pass.json
/// cannot show (an action the builder drops because its link is not configured, a third action). The pass.json itself
/// is checked by <see cref="PosterPassRules"/>; the poster's images by <see cref="AppleImageRules"/>.
/// </summary>
public static partial class PosterTemplateRules
{
    public static void Check(ProgramTemplate template, ConformanceProblems problems)
    {
        CheckLinks(template.Links, problems);
        if (template.Poster is not { } poster)
        {
            return;
        }

        var actions = poster.FeaturedActions ?? [];
        if (actions.Count > PosterPassRules.MaxFeaturedActions)
        {
            // WWDC26 "What's new in Wallet": "Each pass can contain up to two featured actions."
            problems.Error("poster.featuredActions", $"The poster lists {actions.Count} featured actions; a pass can contain up to {PosterPassRules.MaxFeaturedActions}, so the rest would never show.",
                $"Keep the {PosterPassRules.MaxFeaturedActions} most useful actions, in priority order.");
        }

        var links = new HashSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < actions.Count; index++)
        {
            var action = actions[index];
            var path = $"poster.featuredActions[{index}]";
            if (action is null)
            {
                problems.Error(path, "The featured action is null.", "Give type and link, or remove the entry.");
                continue;
            }

            if (!PosterPassRules.FeaturedActionTypes.Contains(action.Type) || !PosterPassRules.LinkActionTypes.Contains(action.Type))
            {
                problems.Error(path + ".type", $"'{action.Type}' is not one of Apple's featured actions that open a link.", $"Use one of {string.Join(", ", PosterPassRules.LinkActionTypes)} (membershipBenefits for perks, viewOffersRewards for offers).");
            }

            if (!TemplateLinks.Names.Contains(action.Link))
            {
                problems.Error(path + ".link", $"'{action.Link}' is not a link the pass knows.", $"Use one of {string.Join(", ", TemplateLinks.Names)}.");
            }
            else if (!links.Add(action.Link))
            {
                problems.Error(path + ".link", $"Two featured actions open '{action.Link}'; Apple needs each action's identifier (the link name) unique.", "Give each action a different link.");
            }
            else if (action.Link != TemplateLinks.ReferralLink && template.Links?.Resolve(action.Link, null) is null)
            {
                problems.Error(path + ".link", $"The action opens links.{action.Link}, which the template does not set: the pass would leave the action out.", $"Set links.{action.Link} to the page's https:// address.");
            }
        }
    }

    private static void CheckLinks(TemplateLinks? links, ConformanceProblems problems)
    {
        if (links is null)
        {
            return;
        }

        foreach (var (path, value) in new[] { ("links.perks", links.Perks), ("links.offers", links.Offers), ("links.app.web", links.App?.Web) })
        {
            if (value is not null && !(Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps))
            {
                // Google's value-added module and app link open it on the phone; Apple's featured action opens it in Safari.
                problems.Error(path, $"'{value}' is not an absolute https:// address.", "Write the page's full https:// address.");
            }
        }

        if (links.App is { } app)
        {
            if (app.AndroidPackage is null && app.Web is null)
            {
                problems.Error("links.app", "The app link has neither androidPackage nor web.", "Set androidPackage (the Android app's package name), web (an https:// page), or both; or remove links.app.");
            }

            if (app.AndroidPackage is { } package && !AndroidPackageName().IsMatch(package))
            {
                // Android's applicationId: two or more segments of letters, digits and '_', each starting with a letter.
                problems.Error("links.app.androidPackage", $"'{package}' is not an Android package name.", "Write it as on Google Play, for example com.example.rewards.");
            }
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*)+$")]
    private static partial Regex AndroidPackageName();
}
