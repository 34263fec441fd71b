using System.Text.Json;

namespace WalletPasses.Conformance;

/// <summary>
/// Apple's rules for the iOS 27 keys of a pass.json: the <c>posterGeneric</c> style and <c>featuredActions</c>.
/// Sources: Apple, "Creating a poster generic pass" (https://developer.apple.com/documentation/walletpasses/creating-a-poster-generic-pass),
/// "Defining the metadata of your Wallet Pass", "Add Featured Actions"
/// (https://developer.apple.com/documentation/walletpasses/defining-the-metadata-of-your-wallet-pass), and the WWDC26
/// session "What's new in Wallet" (https://developer.apple.com/videos/play/wwdc2026/209/).
/// </summary>
public static class PosterPassRules
{
    public const string Style = "posterGeneric";

    /// <summary>"A poster generic pass can have a header field, up to four primary fields, two footer fields, back fields, and additional info field."</summary>
    public static readonly (string Section, int Max)[] FaceLimits = [("headerFields", 1), ("primaryFields", 4), ("footerFields", 2)];

    /// <summary>"The poster generic pass layout has a headerFields, primaryFields, footerFields, backFields, and additionalInfoFields".</summary>
    public static readonly string[] PosterFieldSets = ["headerFields", "primaryFields", "footerFields", "backFields", "additionalInfoFields"];

    /// <summary>WWDC26: "Each pass can contain up to two featured actions."</summary>
    public const int MaxFeaturedActions = 2;

    /// <summary>The "API" column of Apple's table of available Featured Actions ("Add Featured Actions").</summary>
    public static readonly string[] FeaturedActionTypes =
        ["viewSchedule", "watchTrailer", "listenToMusic", "call", "place", "addToBalance", "order", "shop", "membershipBenefits", "bookAppointment", "bookCar", "bookFlight", "bookStay", "viewOffersRewards"];

    /// <summary>The action types that open a link (<c>call</c> calls a number and <c>place</c> opens Maps at a place).</summary>
    public static readonly string[] LinkActionTypes = FeaturedActionTypes.Except(["call", "place"]).ToArray();

    /// <summary>Checks the poster style (when the pass has one) and the featured actions of a pass.json.</summary>
    /// <param name="classicStyles">The pre-iOS 27 styles the pass has (<c>storeCard</c>, <c>generic</c>, ...).</param>
    public static void Check(JsonElement pass, IReadOnlyList<string> classicStyles, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> strings, PassPaths paths, ConformanceProblems problems)
    {
        CheckFeaturedActions(pass, paths, problems);
        if (!pass.TryGetProperty(Style, out var poster))
        {
            return;
        }

        if (classicStyles.Count == 0)
        {
            // "To ensure your pass is backward compatible, include an additional style dictionary on the same pass, for
            // example, storeCard, generic, eventTicket, or coupon." WWDC26: "Poster Generic requires iOS 27 or later."
            problems.Error(paths.Key(Style), "The pass has only the posterGeneric style: devices before iOS and watchOS 27 cannot show it.",
                "Add a storeCard (or generic, eventTicket, coupon) dictionary with the same fields beside posterGeneric.");
        }

        if (poster.ValueKind != JsonValueKind.Object)
        {
            problems.Error(paths.Key(Style), "posterGeneric is not a JSON object of field sets.", "Write posterGeneric as an object with headerFields, primaryFields, footerFields and backFields.");
            return;
        }

        var posterPaths = paths with { Field = (section, index, property) => paths.Key($"{Style}.{section}[{index}].{property}") };
        foreach (var section in poster.EnumerateObject().Select(property => property.Name).Where(name => name.EndsWith("Fields", StringComparison.Ordinal) && !PosterFieldSets.Contains(name)))
        {
            problems.Warning(paths.Key($"{Style}.{section}"), $"A poster generic pass has no {section}; Wallet does not show them.", $"Move the fields to one of {string.Join(", ", PosterFieldSets)}.");
        }

        foreach (var (section, max) in FaceLimits)
        {
            if (poster.TryGetProperty(section, out var fields) && fields.ValueKind == JsonValueKind.Array && fields.GetArrayLength() > max)
            {
                problems.Warning(paths.Key($"{Style}.{section}"), $"The poster has {fields.GetArrayLength()} {section}; it shows at most {max}, and the rest are not displayed.", $"Keep {max} or fewer {section}; put the rest in backFields.");
            }
        }

        // Each style dictionary is its own layout: Apple's fallback example repeats the same keys in posterGeneric and generic.
        PassJsonRules.CheckFields(poster, strings, posterPaths, problems);
    }

    private static void CheckFeaturedActions(JsonElement pass, PassPaths paths, ConformanceProblems problems)
    {
        if (!pass.TryGetProperty("featuredActions", out var actions))
        {
            return;
        }

        if (actions.ValueKind != JsonValueKind.Array)
        {
            problems.Error(paths.Key("featuredActions"), "featuredActions is not an array.", "Write featuredActions as an array of {identifier, type, url} objects.");
            return;
        }

        if (actions.GetArrayLength() > MaxFeaturedActions)
        {
            problems.Error(paths.Key("featuredActions"), $"The pass has {actions.GetArrayLength()} featured actions; a pass can contain up to {MaxFeaturedActions}.", $"Keep the {MaxFeaturedActions} most useful actions, in priority order.");
        }

        var identifiers = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var action in actions.EnumerateArray())
        {
            var path = paths.Key($"featuredActions[{index++}]");
            if (action.ValueKind != JsonValueKind.Object)
            {
                problems.Error(path, "A featured action is not a JSON object.", "Give identifier, type and url.");
                continue;
            }

            var identifier = StringOf(action, "identifier");
            if (string.IsNullOrEmpty(identifier) || !identifiers.Add(identifier))
            {
                problems.Error(path + ".identifier", identifier is null or "" ? "The featured action has no identifier." : $"The identifier '{identifier}' is used by two featured actions.", "Give each action its own identifier.");
            }

            var type = StringOf(action, "type");
            if (type is null || !FeaturedActionTypes.Contains(type))
            {
                problems.Error(path + ".type", $"The featured action type {(type is null ? "is missing" : $"'{type}' is not one of Apple's")}.", $"Use one of {string.Join(", ", FeaturedActionTypes)}.");
            }

            if (type is not null && LinkActionTypes.Contains(type))
            {
                if (!Uri.TryCreate(StringOf(action, "url"), UriKind.Absolute, out var url))
                {
                    problems.Error(path + ".url", $"The {type} action has no absolute URL to open.", "Set url to the page's https:// address.");
                }
                else if (url.Scheme != Uri.UriSchemeHttps)
                {
                    problems.Warning(path + ".url", $"The {type} action opens {url.Scheme}:, not an https page.", "Link an https:// page (or a universal link to the app).");
                }
            }
        }
    }

    private static string? StringOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
