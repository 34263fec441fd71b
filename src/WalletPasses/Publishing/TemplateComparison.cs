using System.Text.Json;
using System.Text.Json.Nodes;
using WalletPasses.Apple;
using WalletPasses.Google;
using WalletPasses.Members;
using WalletPasses.Templates;

namespace WalletPasses.Publishing;

/// <summary>
/// Two template versions side by side, compared per member with the real builders: Apple's pass.json
/// (<see cref="PassJsonBuilder"/>) and, with Google Wallet on, the member's loyalty object and the program's class
/// (<see cref="GooglePassContent"/>).
/// </summary>
public sealed class TemplateComparison(LoadedTemplate before, LoadedTemplate after, ApplePasses apple, GooglePassContent? google)
{
    public LoadedTemplate After => after;

    public bool GoogleEnabled => google is not null;

    public PassDifference Of(Member member)
    {
        // Compared as an alerting version, so the changeMessages are there to tell alerting fields apart.
        var content = apple.ContentOf(member) with { Silent = false };
        var objectBefore = google is null ? null : ObjectOf(before, member);
        var objectAfter = google is null ? null : ObjectOf(after, member);
        return TemplateImpact.Compare(before, after, content, member.Profile.Language, objectBefore, objectAfter);
    }

    /// <summary>
    /// Class fields that change. Google's LoyaltyClass reference (reviewStatus, in the discovery document vendored in
    /// the tests): "When updating an already approved class you should keep setting this field to underReview", so
    /// any class change sends an approved class back to review.
    /// </summary>
    public IReadOnlyList<string> ClassFieldsChanged() =>
        google is null ? [] : TemplateImpact.ChangedTopLevelFields(ClassOf(before), ClassOf(after));

    private JsonNode? ObjectOf(LoadedTemplate template, Member member) =>
        JsonSerializer.SerializeToNode(google!.LoyaltyObjectFor(template, member, []), GoogleWalletJson.Options);

    private JsonNode? ClassOf(LoadedTemplate template)
    {
        try
        {
            return JsonSerializer.SerializeToNode(google!.LoyaltyClassFor(template), GoogleWalletJson.Options);
        }
        catch (InvalidTemplateException)
        {
            return null; // a template Google cannot use (no program logo): the conformance report says so
        }
    }
}
