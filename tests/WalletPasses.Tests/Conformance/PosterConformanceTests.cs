using System.Text.Json.Nodes;
using WalletPasses.Conformance;
using WalletPasses.Templates;
using static WalletPasses.Tests.Conformance.ConformanceTesting;
using static WalletPasses.Tests.Conformance.PassPackages;

namespace WalletPasses.Tests.Conformance;

/// <summary>
/// The conformance check on the iOS 27 keys: the development template's poster (clean) and each key broken the way a
/// template author or another generator would break it, reported where it must be fixed. Sources: Apple, "Creating a
/// poster generic pass" (https://developer.apple.com/documentation/walletpasses/creating-a-poster-generic-pass);
/// "Defining the metadata of your Wallet Pass", "Add Featured Actions"; the HIG's Wallet "Pass images"
/// (https://developer.apple.com/design/human-interface-guidelines/wallet); WWDC26 "What's new in Wallet".
/// </summary>
public sealed class PosterConformanceTests
{
    private static ProgramTemplate WithActions(params FeaturedActionTemplate[] actions) =>
        Template with { Poster = Template.Poster! with { FeaturedActions = actions } };

    [Fact]
    public void The_development_template_opts_into_the_poster_with_its_images_and_actions_and_has_no_errors()
    {
        Assert.NotNull(Template.Poster);

        var report = Check(Template);

        Assert.False(report.HasErrors, string.Join("\n", report.Problems));
        Assert.DoesNotContain(report.Paths, path => path.Contains("poster", StringComparison.OrdinalIgnoreCase) || path.Contains("artwork", StringComparison.Ordinal) || path.StartsWith("links", StringComparison.Ordinal));
    }

    // A template.json with "featuredActions": null or [null] is bad input: reported, never a failure of the check.
    [Fact]
    public void Null_featured_actions_are_reported_not_thrown()
    {
        var nullList = Check(Template with { Poster = Template.Poster! with { FeaturedActions = null! } });
        var nullEntry = Check(WithActions(new FeaturedActionTemplate[] { null! }));

        Assert.False(nullList.HasErrors, string.Join("\n", nullList.Problems));
        Assert.Contains(nullEntry.Problems, p => p.Path == "poster.featuredActions[0]" && p.Severity == ConformanceSeverity.Error);
    }

    // WWDC26: "Each pass can contain up to two featured actions."
    [Fact]
    public void A_third_featured_action_is_an_error()
    {
        var report = Check(WithActions(
            new FeaturedActionTemplate { Type = "membershipBenefits", Link = "perks" },
            new FeaturedActionTemplate { Type = "viewOffersRewards", Link = "offers" },
            new FeaturedActionTemplate { Type = "shop", Link = "referral" }));

        Assert.Contains(report.Problems, p => p.Path == "poster.featuredActions" && p.Severity == ConformanceSeverity.Error);
    }

    // "Add Featured Actions": the API names are viewSchedule, ..., membershipBenefits, ..., viewOffersRewards.
    [Fact]
    public void A_featured_action_type_Apple_does_not_list_is_an_error_at_the_template_and_in_the_pass()
    {
        var report = Check(WithActions(new FeaturedActionTemplate { Type = "viewPerks", Link = "perks" }));

        Assert.Contains(report.Problems, p => p.Path == "poster.featuredActions[0].type" && p.Severity == ConformanceSeverity.Error);
    }

    [Fact]
    public void A_featured_action_opening_a_link_the_template_does_not_set_is_an_error_at_the_action()
    {
        var report = Check(WithActions(new FeaturedActionTemplate { Type = "viewOffersRewards", Link = "offers" }) with { Links = Template.Links! with { Offers = null } });

        var problem = Assert.Single(report.Problems, p => p.Path == "poster.featuredActions[0].link");
        Assert.Equal(ConformanceSeverity.Error, problem.Severity);
        Assert.Contains("links.offers", problem.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("app")]
    [InlineData("perks")]
    public void A_featured_action_with_an_unknown_or_repeated_link_is_an_error(string link)
    {
        var actions = link == "perks"
            ? new[] { new FeaturedActionTemplate { Type = "membershipBenefits", Link = "perks" }, new FeaturedActionTemplate { Type = "shop", Link = "perks" } }
            : [new FeaturedActionTemplate { Type = "shop", Link = link }];

        var report = Check(WithActions(actions));

        Assert.Contains(report.Problems, p => p.Path.StartsWith("poster.featuredActions[", StringComparison.Ordinal) && p.Path.EndsWith(".link", StringComparison.Ordinal) && p.Severity == ConformanceSeverity.Error);
    }

    [Theory]
    [InlineData("perks", "http://northwind.example/perks")]
    [InlineData("offers", "/rewards/offers")]
    public void A_link_that_is_not_an_absolute_https_address_is_an_error_at_the_link(string link, string value)
    {
        var links = link == "perks" ? Template.Links! with { Perks = value } : Template.Links! with { Offers = value };

        var report = Check(Template with { Links = links });

        Assert.Contains(report.Problems, p => p.Path == "links." + link && p.Severity == ConformanceSeverity.Error);
    }

    [Theory]
    [InlineData("not a package", "links.app.androidPackage")]
    [InlineData(null, "links.app")]
    public void A_broken_app_link_is_an_error(string? package, string path)
    {
        var app = new AppLinkTemplate { AndroidPackage = package, Web = null };

        var report = Check(Template with { Links = Template.Links! with { App = app } });

        Assert.Contains(report.Problems, p => p.Path == path && p.Severity == ConformanceSeverity.Error);
    }

    // "To ensure your pass is backward compatible, include an additional style dictionary on the same pass, for example,
    // storeCard, generic, eventTicket, or coupon." WWDC26: "Poster Generic requires iOS 27 or later."
    [Fact]
    public void A_pkpass_with_only_the_poster_style_is_an_error_as_older_devices_cannot_show_it()
    {
        var files = Files(Ours()).WithPassJson(pass => pass.Remove("storeCard"));

        var report = PassPackageConformance.Check(SignAndZip(files));

        var problem = Assert.Single(report.Problems, p => p.Severity == ConformanceSeverity.Error);
        Assert.Equal("pass.json:posterGeneric", problem.Path);
    }

    [Fact]
    public void A_pass_the_app_makes_from_the_poster_template_is_clean_for_older_and_newer_devices()
    {
        var files = Files(Ours());

        var report = PassPackageConformance.Check(Ours());

        Assert.Empty(report.Problems);
        Assert.Contains("artwork@3x.png", files.Keys);
        var pass = JsonNode.Parse(files["pass.json"])!.AsObject();
        Assert.True(pass.ContainsKey("posterGeneric") && pass.ContainsKey("storeCard"));
    }

    [Fact]
    public void A_pkpass_with_three_featured_actions_or_an_action_without_a_url_is_an_error_at_the_action()
    {
        var files = Files(Ours()).WithPassJson(pass => pass["featuredActions"] = new JsonArray(
            new JsonObject { ["identifier"] = "a", ["type"] = "membershipBenefits", ["url"] = "https://northwind.example/a" },
            new JsonObject { ["identifier"] = "b", ["type"] = "shop" },
            new JsonObject { ["identifier"] = "c", ["type"] = "viewOffersRewards", ["url"] = "https://northwind.example/c" }));

        var report = PassPackageConformance.Check(SignAndZip(files));

        Assert.Contains(report.Problems, p => p.Path == "pass.json:featuredActions" && p.Severity == ConformanceSeverity.Error);
        Assert.Contains(report.Problems, p => p.Path == "pass.json:featuredActions[1].url" && p.Severity == ConformanceSeverity.Error);
    }

    // "A poster generic pass can have a header field, up to four primary fields, two footer fields".
    [Fact]
    public void A_poster_with_more_primary_fields_than_it_shows_is_a_warning()
    {
        var files = Files(Ours()).WithPassJson(pass =>
        {
            var primary = pass["posterGeneric"]!["primaryFields"]!.AsArray();
            for (var i = 0; i < 4; i++)
            {
                primary.Add(new JsonObject { ["key"] = $"extra{i}", ["value"] = "x" });
            }
        });

        var report = PassPackageConformance.Check(SignAndZip(files));

        var problem = Assert.Single(report.Problems);
        Assert.Equal(("pass.json:posterGeneric.primaryFields", ConformanceSeverity.Warning), (problem.Path, problem.Severity));
    }

    // HIG "Pass images": the poster background "is the visual centerpiece of a pass".
    [Fact]
    public void A_poster_pkpass_without_artwork_is_a_warning()
    {
        var files = Files(Ours());
        foreach (var scale in new[] { "", "@2x", "@3x" })
        {
            files.Remove($"artwork{scale}.png");
        }

        var report = PassPackageConformance.Check(SignAndZip(files));

        var problem = Assert.Single(report.Problems);
        Assert.Equal(("artwork.png", ConformanceSeverity.Warning), (problem.Path, problem.Severity));
    }
}
