using System.Text.Json;
using WalletPasses.Notifications;
using WalletPasses.Templates;

namespace WalletPasses.Apple;

/// <summary>
/// The poster generic part of pass.json (iOS and watchOS 27), written beside the store card. Apple, "Creating a poster
/// generic pass" (https://developer.apple.com/documentation/walletpasses/creating-a-poster-generic-pass): "To ensure
/// your pass is backward compatible, include an additional style dictionary on the same pass, for example, storeCard
/// ... Wallet's style resolution prioritizes posterGeneric when present, so newer devices display the generic pass with
/// the poster, and older devices display the legacy style they recognize." Both styles carry the same fields.
/// </summary>
public static class PosterGenericJson
{
    public const string Style = "posterGeneric";

    /// <summary>Apple HIG, Wallet, "Pass images": poster backgrounds are <c>artwork.png</c>, 358×448 pt.</summary>
    public const string ArtworkImage = "artwork";

    /// <summary>Apple HIG, Wallet, "Pass images": <c>primaryLogo.png</c>, 30–126 pt wide, 30 pt high, on poster generic passes.</summary>
    public const string PrimaryLogoImage = "primaryLogo";

    /// <summary>"Each pass can contain up to two featured actions" (WWDC26 "What's new in Wallet").</summary>
    public const int MaxFeaturedActions = 2;

    /// <summary>
    /// Layout, from Apple's article: "A poster generic pass can have a header field, up to four primary fields, two
    /// footer fields, back fields, and additional info field". The balance goes in the header (the HIG: essential
    /// information such as an account balance in the header, so it shows when the pass is collapsed), the member's
    /// name as the unlabelled first primary field (WWDC26: "if I omit the label on the first primary field, we'll get
    /// the cool bold title for the field value"), the tier in the footer.
    /// </summary>
    internal static void Write(Utf8JsonWriter json, ProgramTemplate template, PosterTemplate poster, PassContent content, PassJsonBuilder.PassFace face, PassAlerts alerts)
    {
        json.WriteStartObject(Style);
        PassJsonBuilder.WriteFields(json, "headerFields", [face.Points], alerts);
        PassJsonBuilder.WriteFields(json, "primaryFields", [face.Member with { Label = null }], alerts);
        PassJsonBuilder.WriteFields(json, "footerFields", [face.Tier], alerts);
        PassJsonBuilder.WriteFields(json, "backFields", face.Back, alerts);
        json.WriteEndObject();

        // WWDC26: "define the featuredActions key, which takes an array of action objects. Each action is defined as a
        // unique ID, the action type, and a value, such as a URL"; the link's name is the unique id.
        // A template read from JSON may hold nulls here; the conformance check reports them (a draft report never fails on them).
        var actions = (poster.FeaturedActions ?? [])
            .OfType<FeaturedActionTemplate>()
            .Select(action => (action, Url: template.Links?.Resolve(action.Link, content.ReferralUrl)))
            .Where(action => action.Url is not null)
            .Take(MaxFeaturedActions)
            .ToArray();
        if (actions.Length == 0)
        {
            return;
        }

        json.WriteStartArray("featuredActions");
        foreach (var (action, url) in actions)
        {
            json.WriteStartObject();
            json.WriteString("identifier", action.Link);
            json.WriteString("type", action.Type);
            json.WriteString("url", url);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
