using System.Text.Json;
using WalletPasses.Apple;
using WalletPasses.Conformance;
using WalletPasses.Templates;

namespace WalletPasses.Tests.Apple;

/// <summary>
/// The poster generic style (iOS and watchOS 27) as the development template opts into it. Apple, "Creating a poster
/// generic pass" (https://developer.apple.com/documentation/walletpasses/creating-a-poster-generic-pass), "Ensure backward
/// compatibility": "include an additional style dictionary on the same pass, for example, storeCard ... Wallet's style
/// resolution prioritizes posterGeneric when present, so newer devices display the generic pass with the poster, and
/// older devices display the legacy style they recognize."
/// </summary>
public sealed class PosterPassJsonTests
{
    private static readonly ProgramTemplate Template = DefaultTemplate.Template();

    private static JsonElement Build(ProgramTemplate template, PassContent content) =>
        JsonDocument.Parse(PassJsonBuilder.Build(template, template.FindTier(content.TierId)!, content)).RootElement;

    private static JsonElement[] Fields(JsonElement pass, string style, string section) =>
        pass.GetProperty(style).TryGetProperty(section, out var fields) ? fields.EnumerateArray().ToArray() : [];

    [Fact]
    public void A_poster_template_makes_a_pass_with_the_poster_and_the_store_card_carrying_the_same_data()
    {
        var pass = Build(Template, PkPassBuilderTests.Content());

        // Newer devices: the poster. Apple's layout: "a header field, up to four primary fields, two footer fields, back fields".
        var header = Assert.Single(Fields(pass, "posterGeneric", "headerFields"));
        Assert.Equal(("points", 1250), (header.GetProperty("key").GetString(), header.GetProperty("value").GetInt64()));
        var name = Assert.Single(Fields(pass, "posterGeneric", "primaryFields"));
        Assert.Equal("Jane Doe", name.GetProperty("value").GetString());
        Assert.False(name.TryGetProperty("label", out _)); // WWDC26: the unlabelled first primary field is drawn as the bold title
        var footer = Assert.Single(Fields(pass, "posterGeneric", "footerFields"));
        Assert.Equal(TemplateKeys.Tier("gold"), footer.GetProperty("value").GetString());

        // Older devices: today's store card, with the same values.
        Assert.Equal(1250, Assert.Single(Fields(pass, "storeCard", "primaryFields")).GetProperty("value").GetInt64());
        Assert.Equal("Jane Doe", Assert.Single(Fields(pass, "storeCard", "secondaryFields")).GetProperty("value").GetString());
        Assert.Equal(TemplateKeys.Tier("gold"), Assert.Single(Fields(pass, "storeCard", "headerFields")).GetProperty("value").GetString());
        Assert.Equal(
            Fields(pass, "storeCard", "backFields").Select(field => field.GetRawText()),
            Fields(pass, "posterGeneric", "backFields").Select(field => field.GetRawText()));
    }

    [Fact]
    public void Both_looks_alert_on_the_same_changes()
    {
        var pass = Build(Template, PkPassBuilderTests.Content());

        static string? ChangeMessage(JsonElement[] fields, string key) =>
            fields.Single(field => field.GetProperty("key").GetString() == key).TryGetProperty("changeMessage", out var message) ? message.GetString() : null;
        var storeCard = Fields(pass, "storeCard", "headerFields").Concat(Fields(pass, "storeCard", "primaryFields")).ToArray();
        var poster = Fields(pass, "posterGeneric", "headerFields").Concat(Fields(pass, "posterGeneric", "footerFields")).ToArray();
        Assert.Equal(TemplateKeys.PointsChanged, ChangeMessage(poster, "points"));
        Assert.Equal(ChangeMessage(storeCard, "points"), ChangeMessage(poster, "points"));
        Assert.Equal(ChangeMessage(storeCard, "tier"), ChangeMessage(poster, "tier"));
    }

    // WWDC26 "What's new in Wallet": "define the featuredActions key, which takes an array of action objects. Each action is
    // defined as a unique ID, the action type, and a value, such as a URL ... Each pass can contain up to two featured actions."
    // The types are the "API" column of "Add Featured Actions" (Defining the metadata of your Wallet Pass).
    [Fact]
    public void The_featured_actions_open_the_perks_page_and_the_members_referral_link()
    {
        var pass = Build(Template, PkPassBuilderTests.Content());

        var actions = pass.GetProperty("featuredActions").EnumerateArray()
            .Select(action => (action.GetProperty("identifier").GetString(), action.GetProperty("type").GetString(), action.GetProperty("url").GetString()))
            .ToArray();
        Assert.Equal(
            [("perks", "membershipBenefits", "https://northwind.example/rewards/perks"), ("referral", "viewOffersRewards", "https://shop.example/r/JANE10")],
            actions);
    }

    [Fact]
    public void A_member_without_a_referral_link_gets_only_the_perks_action()
    {
        var pass = Build(Template, PkPassBuilderTests.Content() with { ReferralUrl = null });

        var action = Assert.Single(pass.GetProperty("featuredActions").EnumerateArray().ToArray());
        Assert.Equal("perks", action.GetProperty("identifier").GetString());
    }

    // Apple's Pass reference: "barcode ... This object is deprecated. Use barcodes instead"; "barcodes ... The system uses
    // the first displayable barcode for the device". Both looks show the one barcodes array: the staff QR first.
    [Fact]
    public void The_poster_pass_keeps_the_prioritised_barcodes_array_with_the_staff_QR_first_and_no_deprecated_barcode_key()
    {
        var pass = Build(Template, PkPassBuilderTests.Content() with { BarcodeAltText = "ABCDE-FGHJK" });

        Assert.False(pass.TryGetProperty("barcode", out _));
        var first = pass.GetProperty("barcodes")[0];
        Assert.Equal("PKBarcodeFormatQR", first.GetProperty("format").GetString());
        Assert.Equal("ABCDE-FGHJK", first.GetProperty("altText").GetString());
    }

    [Fact]
    public void A_template_without_a_poster_makes_only_the_store_card()
    {
        var pass = Build(Template with { Poster = null }, PkPassBuilderTests.Content());

        Assert.False(pass.TryGetProperty("posterGeneric", out _));
        Assert.False(pass.TryGetProperty("featuredActions", out _));
        Assert.Equal(JsonValueKind.Object, pass.GetProperty("storeCard").ValueKind);
    }

    // HIG, Wallet, "Pass images": poster generic passes show primaryLogo.png and artwork.png (the poster background).
    [Fact]
    public void The_poster_pass_carries_the_artwork_and_primary_logo_at_every_scale()
    {
        var files = AppleTemplateAssets.Create(Template, DefaultTemplate.Images()).FilesFor(Template.FindTier("gold")!).Select(file => file.Name).ToArray();

        Assert.Subset(files.ToHashSet(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal) { "artwork.png", "artwork@2x.png", "artwork@3x.png", "primaryLogo.png", "primaryLogo@2x.png", "primaryLogo@3x.png", "strip.png", "logo.png" });
    }

    [Fact]
    public void Every_tier_makes_a_poster_pass_without_conformance_problems()
    {
        foreach (var tier in Template.Tiers)
        {
            var pass = Build(Template, PkPassBuilderTests.Content(tier.Id));
            var problems = new ConformanceProblems();
            var strings = Template.Strings.Keys.ToDictionary(language => language, IReadOnlyDictionary<string, string> (language) => AppleTemplateAssets.PassStringEntries(Template, language));
            var style = PassJsonRules.Check(pass, strings, PassPaths.Package("storeCard"), problems);

            Assert.Equal("storeCard", style); // the style older devices show; the poster comes first where supported
            Assert.Empty(problems.All);
        }
    }
}
