using System.Text.Json.Nodes;
using WalletPasses.Apple;
using WalletPasses.Publishing;
using WalletPasses.Templates;

namespace WalletPasses.Tests.Publishing;

/// <summary>The per-pass comparison of two templates, over the real pass.json builder (no storage).</summary>
public sealed class TemplateImpactTests
{
    private static readonly LoadedTemplate Current = new(DefaultTemplate.Template(), DefaultTemplate.Images(), "v0");

    private static PassContent Content(string tier) => new()
    {
        SerialNumber = "0123456789abcdef0123456789abcdef",
        AuthenticationToken = "token-token-token-token",
        WebServiceUrl = new Uri("https://wallet.test/api/passkit"),
        BarcodeMessage = "barcode",
        DisplayName = "Jane",
        Points = 120,
        TierId = tier,
    };

    private static LoadedTemplate With(Func<ProgramTemplate, ProgramTemplate> change, IReadOnlyDictionary<string, byte[]>? images = null) =>
        new(change(Current.Template), images ?? Current.Images, "v1");

    private static ProgramTemplate Renamed(ProgramTemplate template, string language, string key, string text) =>
        template with
        {
            Strings = template.Strings.ToDictionary(
                s => s.Key,
                s => s.Key == language ? (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(s.Value) { [key] = text } : s.Value),
        };

    [Fact]
    public void The_same_template_changes_nothing()
    {
        var difference = TemplateImpact.Compare(Current, With(t => t), Content("gold"), "en", null, null);

        Assert.Empty(difference.PassFields);
        Assert.Empty(difference.AlertFields);
    }

    [Fact]
    public void A_tier_colour_changes_that_tiers_passes_only_and_does_not_alert()
    {
        var draft = With(t => t with { Tiers = t.Tiers.Select(tier => tier.Id == "gold" ? tier with { BackgroundColor = "#112233" } : tier).ToList() });

        var gold = TemplateImpact.Compare(Current, draft, Content("gold"), "en", null, null);
        var silver = TemplateImpact.Compare(Current, draft, Content("silver"), "en", null, null);

        Assert.Equal(["backgroundColor"], gold.PassFields);
        Assert.Empty(gold.AlertFields);
        Assert.Empty(silver.PassFields);
    }

    [Fact]
    public void A_renamed_tier_changes_the_shown_value_of_a_field_with_a_change_message_in_that_language_only()
    {
        var draft = With(t => Renamed(t, "en", TemplateKeys.Tier("gold"), "Golden"));

        var english = TemplateImpact.Compare(Current, draft, Content("gold"), "en", null, null);
        var german = TemplateImpact.Compare(Current, draft, Content("gold"), "de", null, null);

        Assert.Contains("storeCard.headerFields[tier].value", english.PassFields);
        // The development template's poster shows the tier too (its footer): each device alerts from the look it shows.
        Assert.Equal(["posterGeneric.footerFields[tier]", "storeCard.headerFields[tier]"], english.AlertFields);
        Assert.DoesNotContain("storeCard.headerFields[tier].value", german.PassFields);
        Assert.Empty(german.AlertFields);
    }

    [Fact]
    public void A_new_strip_image_changes_the_passes_of_its_tier()
    {
        var gold = DefaultTemplate.Template().FindTier("gold")!.Strip + "@2x.png";
        var images = Current.Images.ToDictionary(i => i.Key, i => i.Key == gold ? i.Value.Append((byte)0).ToArray() : i.Value);

        var difference = TemplateImpact.Compare(Current, With(t => t, images), Content("gold"), "en", null, null);

        Assert.Equal(["images/" + gold], difference.PassFields);
    }

    [Fact]
    public void Google_object_fields_are_compared_by_top_level_name()
    {
        var before = JsonNode.Parse("""{"id":"1.a","heroImage":{"sourceUri":{"uri":"https://x/a?v=1"}},"accountName":"Jane"}""");
        var after = JsonNode.Parse("""{"id":"1.a","heroImage":{"sourceUri":{"uri":"https://x/a?v=2"}},"accountName":"Jane","textModulesData":[]}""");

        Assert.Equal(["heroImage", "textModulesData"], TemplateImpact.ChangedTopLevelFields(before, after));
    }
}
