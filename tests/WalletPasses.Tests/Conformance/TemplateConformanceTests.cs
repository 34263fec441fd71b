using System.Text;
using System.Text.Json;
using WalletPasses.Templates;
using WalletPasses.Conformance;
using Xunit.Abstractions;
using static WalletPasses.Tests.Conformance.ConformanceTesting;

namespace WalletPasses.Tests.Conformance;

/// <summary>
/// The template conformance rules, each on the default template (clean) and on one broken the way a template author
/// would break it, asserting the problem lands at the path the author must change. Storage-free.
/// </summary>
public sealed class TemplateConformanceTests(ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    [Fact]
    public void The_default_template_has_no_errors_and_only_the_two_google_length_warnings()
    {
        var report = Check(Template);

        foreach (var problem in report.Problems)
        {
            output.WriteLine(problem.ToString());
        }

        Assert.False(report.HasErrors, string.Join("\n", report.Problems));
        // Google's discovery document recommends at most 7 characters for a balance and 20 for a link description.
        Assert.Equal(["languages.de.strings.label.referral", "languages.en.strings.tier.platinum"], report.Paths.Order(StringComparer.Ordinal));
        Assert.All(report.Problems, problem => Assert.Equal(ConformanceSeverity.Warning, problem.Severity));
    }

    // Apple, "Creating the Source for a Pass": a store card carries icon, logo and strip, each as name.png, @2x and @3x.
    [Theory]
    [InlineData("logo@2x.png")]
    [InlineData("icon.png")]
    [InlineData("strip-gold@3x.png")]
    [InlineData("poster-artwork@3x.png")] // HIG "Pass images": the poster's artwork.png and primaryLogo.png, in @2x and @3x too
    [InlineData("primary-logo.png")]
    public void A_missing_apple_image_is_an_error_at_its_file(string file)
    {
        var images = Images();
        images.Remove(file);

        var report = Check(Template, images);

        var problem = Assert.Single(report.Problems, p => p.Path == "images/" + file);
        Assert.Equal(ConformanceSeverity.Error, problem.Severity);
    }

    // Apple: pass images are PNG files; a JPEG renamed .png has no PNG signature (PNG specification, 5.2).
    [Fact]
    public void An_image_that_is_not_a_png_is_an_error()
    {
        var images = Images();
        images["icon@2x.png"] = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0];

        var report = Check(Template, images);

        Assert.Contains(report.Problems, p => p.Path == "images/icon@2x.png" && p.Severity == ConformanceSeverity.Error && p.Message.Contains("not a PNG", StringComparison.Ordinal));
    }

    // Apple, "Pass Design and Creation": a store card's strip is 375×123 points (750×246 pixels at @2x), the icon 29×29
    // points, the logo at most 160×50 points.
    [Theory]
    [InlineData("strip-gold@2x.png", 750, 300, "750×246")]
    [InlineData("icon@3x.png", 90, 90, "87×87")]
    [InlineData("logo.png", 200, 50, "160×50")]
    [InlineData("poster-artwork@2x.png", 750, 246, "716×896")] // HIG: poster backgrounds, artwork.png, 358 × 448 pt
    [InlineData("primary-logo.png", 160, 50, "126×30")] // HIG: primary logo, maximum width 126 pt, height 30 pt
    public void An_image_of_the_wrong_size_for_its_scale_is_a_warning_with_the_size_to_export(string file, int width, int height, string expected)
    {
        var images = Images();
        images[file] = PngOfSize(width, height);

        var report = Check(Template, images);

        var problem = Assert.Single(report.Problems, p => p.Path == "images/" + file);
        Assert.Equal(ConformanceSeverity.Warning, problem.Severity);
        Assert.Contains(expected, problem.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_string_missing_in_the_default_language_is_an_error_and_a_missing_translation_a_warning()
    {
        var template = Template.WithString("en", "label.points", null).WithString("de", "label.tier", null);

        var report = Check(template);

        Assert.Contains(report.Problems, p => p.Path == "languages.en.strings.label.points" && p.Severity == ConformanceSeverity.Error);
        Assert.Contains(report.Problems, p => p.Path == "languages.de.strings.label.tier" && p.Severity == ConformanceSeverity.Warning);
    }

    [Fact]
    public void Every_tier_and_perk_needs_its_name_in_the_default_language()
    {
        var template = Template.WithString("en", "tier.gold", null).WithString("en", "perk.early-access", null);

        var report = Check(template);

        Assert.Contains(report.Problems, p => p.Path == "languages.en.strings.tier.gold" && p.Severity == ConformanceSeverity.Error);
        Assert.Contains(report.Problems, p => p.Path == "languages.en.strings.perk.early-access" && p.Severity == ConformanceSeverity.Error);
    }

    // Apple, "PassFieldContent": changeMessage "must contain the escape %@, which is replaced with the field's new
    // value": one value, so a second %@ has none to take.
    [Theory]
    [InlineData("Ihre Punkte haben sich geändert", "has no %@")]
    [InlineData("Sie haben jetzt %@ Punkte (vorher %@)", "has 2 %@ placeholders")]
    public void A_change_message_without_exactly_one_placeholder_in_one_language_is_an_error_at_that_translation(string german, string said)
    {
        var template = Template.WithString("de", "change.points", german);

        var report = Check(template);

        var problem = Assert.Single(report.Problems, p => p.Path == "languages.de.strings.change.points");
        Assert.Equal(ConformanceSeverity.Error, problem.Severity);
        Assert.Contains(said, problem.Message, StringComparison.Ordinal);
        Assert.Contains("%@", problem.Fix, StringComparison.Ordinal);
        Assert.DoesNotContain(report.Problems, p => p.Path == "languages.en.strings.change.points");
    }

    // Template colours are #RRGGBB; the builders write Apple's rgb(r, g, b) and Google's #rrggbb from them.
    [Fact]
    public void A_colour_that_is_not_hex_is_an_error_at_the_tier()
    {
        var template = Template.WithTier("gold", tier => tier with { LabelColor = "gold" });

        var report = Check(template);

        var problem = Assert.Single(report.Problems, p => p.Severity == ConformanceSeverity.Error);
        Assert.Equal("tiers.gold.labelColor", problem.Path);
    }

    // WCAG 2.2, success criterion 1.4.3 "Contrast (Minimum)": text and its background at least 4.5:1. The silver tier's
    // old labels (#E3E8EC on #5E6B78, 4.42:1) were under it, as axe-core found in the demo's preview (AccessibilityTests).
    [Theory]
    [InlineData("labelColor", "#E3E8EC", "4.42:1")]
    [InlineData("foregroundColor", "#8A96A3", "1.81:1")]
    public void A_text_colour_under_wcag_contrast_on_the_background_is_a_warning_at_the_tier(string name, string colour, string ratio)
    {
        var template = Template.WithTier("silver", tier => name == "labelColor" ? tier with { LabelColor = colour } : tier with { ForegroundColor = colour });

        var report = Check(template);

        var problem = Assert.Single(report.Problems, p => p.Path == $"tiers.silver.{name}");
        Assert.Equal(ConformanceSeverity.Warning, problem.Severity);
        Assert.Contains(ratio, problem.Message, StringComparison.Ordinal);
        Assert.False(report.HasErrors);
    }

    // Apple, "Pass": organizationName and passTypeIdentifier are required; "Creating the Source for a Pass": the pass type
    // identifier always begins with "pass.".
    [Fact]
    public void Required_pass_keys_are_errors_at_the_template_setting()
    {
        var template = Template with { OrganizationName = "", PassTypeIdentifier = "com.example.loyalty" };

        var report = Check(template);

        Assert.Contains(report.Problems, p => p.Path == "organizationName" && p.Severity == ConformanceSeverity.Error);
        Assert.Contains(report.Problems, p => p.Path == "passTypeIdentifier" && p.Severity == ConformanceSeverity.Error);
    }

    [Fact]
    public void Duplicate_and_malformed_tier_ids_and_language_codes_are_errors()
    {
        var template = Template with { Tiers = [.. Template.Tiers, Template.Tiers[0], Template.Tiers[0] with { Id = "Gold Plus" }] };
        template = template.WithString("en", "tier.Gold Plus", "Gold Plus");
        template = template with { Strings = new Dictionary<string, IReadOnlyDictionary<string, string>>(template.Strings) { ["german"] = template.Strings["de"] } };

        var report = Check(template);

        Assert.Contains(report.Problems, p => p.Path == "tiers.silver.id" && p.Severity == ConformanceSeverity.Error);
        Assert.Contains(report.Problems, p => p.Path == "tiers.Gold Plus.id" && p.Severity == ConformanceSeverity.Error);
        Assert.Contains(report.Problems, p => p.Path == "languages.german" && p.Severity == ConformanceSeverity.Error);
    }

    [Fact]
    public void A_pass_over_the_size_threshold_is_a_warning_at_its_tier()
    {
        var images = Images();
        images["strip-platinum@3x.png"] = PngOfSize(1125, 369, padding: TemplateConformance.PassSizeWarningBytes);

        var report = Check(Template, images);

        var problem = Assert.Single(report.Problems, p => p.Path == "tiers.platinum");
        Assert.Equal(ConformanceSeverity.Warning, problem.Severity);
        Assert.DoesNotContain(report.Problems, p => p.Path is "tiers.gold" or "tiers.silver");
    }

    // GoogleTemplateRule / Google's LoyaltyClass: programLogo is required.
    [Fact]
    public void Google_needs_a_program_logo()
    {
        var report = Check(Template with { Images = Template.Images with { ProgramLogo = null } });

        Assert.Contains(report.Problems, p => p.Path == "images.programLogo" && p.Severity == ConformanceSeverity.Error);
    }

    // Google's brand guidelines: the program logo is square, at least 660×660; hero images 3:1 or wider.
    [Fact]
    public void Google_images_smaller_or_narrower_than_the_guidelines_are_warnings()
    {
        var images = Images();
        images["program-logo.png"] = PngOfSize(300, 200);
        images["hero.png"] = PngOfSize(1032, 500);

        var report = Check(Template, images);

        Assert.Contains(report.Problems, p => p.Path == "images/program-logo.png" && p.Severity == ConformanceSeverity.Warning && p.Message.Contains("660", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.Path == "images/hero.png" && p.Severity == ConformanceSeverity.Warning && p.Message.Contains("3:1", StringComparison.Ordinal));
    }

    // Discovery document, LoyaltyClass.programName: "The app may display an ellipsis after the first 20 characters";
    // LoyaltyPoints.label: "Recommended maximum length is 9 characters"; TextModuleData.header: 35.
    [Fact]
    public void Google_texts_over_their_recommended_length_are_warnings_at_the_string_in_its_language()
    {
        var template = Template
            .WithString("de", "program.name", "Northwind Prämienprogramm für Kaffeeliebhaber")
            .WithString("de", "label.points", "Prämienpunkte")
            .WithString("en", "label.perks", "Everything your membership gives you today");

        var report = Check(template);

        Assert.Contains(report.Problems, p => p.Path == "languages.de.strings.program.name" && p.Severity == ConformanceSeverity.Warning);
        Assert.Contains(report.Problems, p => p.Path == "languages.de.strings.label.points" && p.Severity == ConformanceSeverity.Warning);
        Assert.Contains(report.Problems, p => p.Path == "languages.en.strings.label.perks" && p.Severity == ConformanceSeverity.Warning);
        Assert.DoesNotContain(report.Problems, p => p.Path == "languages.en.strings.label.points");
    }

    // Google: the "Add to Google Wallet" link must stay within 1,800 characters; the real SaveJwtBuilder makes it.
    [Fact]
    public void A_save_link_over_1800_characters_is_an_error()
    {
        var origins = Enumerable.Range(0, 40).Select(i => $"https://shop-{i}.example.com").ToArray();

        var longLinks = Check(Template, context: Context(origins));
        var usual = Check(Template);

        Assert.Contains(longLinks.Problems, p => p.Path == "google.saveLink" && p.Severity == ConformanceSeverity.Error);
        Assert.DoesNotContain(usual.Problems, p => p.Path == "google.saveLink");
    }

    [Fact]
    public void Without_google_no_google_rule_runs()
    {
        var context = Context() with { Google = null, SaveLinks = null };

        var report = Check(Template with { Images = Template.Images with { ProgramLogo = null } }, context: context);

        Assert.Empty(report.Problems);
    }

    [Fact]
    public void A_draft_whose_template_json_is_not_a_template_is_one_error_at_template_json()
    {
        var draft = new TemplateDraft("default", Encoding.UTF8.GetBytes("{\"programId\": \"default\", \"tiers\": ["), Images(), "v1");

        var report = TemplateConformance.CheckDraft(draft, Context());

        var problem = Assert.Single(report.Problems);
        Assert.Equal("template.json", problem.Path);
        Assert.Equal(ConformanceSeverity.Error, problem.Severity);
    }

    [Fact]
    public void The_default_draft_as_uploaded_checks_like_the_template()
    {
        var json = DefaultTemplate.Files().Single(f => f.Name == DefaultTemplate.TemplateFileName).Content;

        var report = TemplateConformance.CheckDraft(new TemplateDraft("default", json, Images(), "v1"), Context());

        Assert.False(report.HasErrors);
    }

    [Fact]
    public void The_rules_capabilities_add_are_errors()
    {
        var context = Context() with { Rules = [new FixedRule("The template's passTypeIdentifier does not match the pass certificate.")] };

        var report = Check(Template, context: context);

        Assert.Contains(report.Problems, p => p.Path == "template" && p.Severity == ConformanceSeverity.Error);
    }

    [Fact]
    public void The_report_serializes_with_lowercase_severities()
    {
        var json = JsonSerializer.Serialize(Check(Template.WithString("de", "change.tier", "Neuer Status")), WebJson);

        Assert.Contains("\"severity\":\"error\"", json, StringComparison.Ordinal);
        Assert.Contains("\"path\":\"languages.de.strings.change.tier\"", json, StringComparison.Ordinal);
    }

    private sealed class FixedRule(string message) : ITemplateRule
    {
        public IEnumerable<string> Check(ProgramTemplate programTemplate) => [message];
    }
}
