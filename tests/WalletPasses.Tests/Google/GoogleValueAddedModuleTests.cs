using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WalletPasses.Events;
using WalletPasses.Google;
using WalletPasses.Members;
using WalletPasses.Templates;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Google;

/// <summary>
/// The program's pages on Google passes, from the walletobjects v1 discovery document (vendored in TestData):
/// LoyaltyObject.valueAddedModuleData ("Optional value added module data. Maximum of ten on the object.";
/// ValueAddedModuleData: "Required fields are header and uri") and LoyaltyClass.appLinkData ("Optional app or website
/// link that will be displayed as a button on the front of the pass").
/// </summary>
public sealed class GoogleValueAddedModuleTests(GoogleAppFixture app) : IClassFixture<GoogleAppFixture>
{
    private static readonly ProgramTemplate Template = DefaultTemplate.Template();

    // The longest offer the events accept (LoyaltyEventValidation: title up to 100 characters, text up to 500).
    private const string LongestTitle = "Members save 20% on the whole winter collection, in store and online, until the end of the season 🎉";
    private static readonly string LongestText = string.Concat(Enumerable.Repeat(
        "Show this pass at the till or use your member code online. The discount applies to full-price items only and cannot be combined with other offers. ", 4))[..LoyaltyEventValidation.MaxOfferTextLength];

    private static JsonNode[] Modules(JsonObject? stored) => [.. stored?["valueAddedModuleData"]?.AsArray().OfType<JsonNode>() ?? []];

    [Fact]
    public async Task A_members_object_links_the_perks_page_and_each_offer_and_the_class_opens_the_app()
    {
        var memberId = TestMembers.NewId();
        var objectId = (await app.CreateMemberAsync(memberId)).GetProperty("google").GetProperty("objectId").GetString()!;

        var perks = Assert.Single(Modules(app.StoredObject(objectId)));
        Assert.Equal("Your perks", perks["header"]!["defaultValue"]!["value"]!.GetValue<string>());
        Assert.Equal("https://northwind.example/rewards/perks", perks["uri"]!.GetValue<string>());
        var appLink = app.Fake.StoredClasses[GoogleAppFixture.ClassId]["appLinkData"]!;
        Assert.Equal("com.northwind.rewards", appLink["androidAppLinkInfo"]!["appTarget"]!["packageName"]!.GetValue<string>());
        Assert.Equal("https://northwind.example/app", appLink["webAppLinkInfo"]!["appTarget"]!["targetUri"]!["uri"]!.GetValue<string>());
        Assert.Equal("Open the Northwind app", appLink["displayText"]!["defaultValue"]!["value"]!.GetValue<string>());

        await app.Processor.ProcessAsync(GoogleTestEvents.Offer(memberId, 1, "winter", "Winter drop", "Early access Friday"), default);
        await Eventually.HoldsAsync(() => Modules(app.StoredObject(objectId)).Length == 2, "the offer's module reaches the object");
        var offer = Modules(app.StoredObject(objectId))[1];
        Assert.Equal("Winter drop", offer["header"]!["defaultValue"]!["value"]!.GetValue<string>());
        Assert.Equal("Early access Friday", offer["body"]!["defaultValue"]!["value"]!.GetValue<string>());
        Assert.Equal("https://northwind.example/rewards/offers", offer["uri"]!.GetValue<string>());

        await app.Processor.ProcessAsync(GoogleTestEvents.OfferWithdrawn(memberId, 2, "winter"), default);
        await Eventually.HoldsAsync(() => Modules(app.StoredObject(objectId)).Length == 1, "the withdrawn offer's module leaves the object");
        Assert.Empty(app.Fake.SchemaErrors);
    }

    [Fact]
    public void Perks_come_first_and_only_the_newest_offers_that_fit_in_googles_ten_follow()
    {
        MemberOffer[] twelve = [.. Enumerable.Range(1, 12).Select(i => new MemberOffer($"offer-{i}", $"Offer {i}", "Text", DateTimeOffset.UnixEpoch.AddDays(i)))];

        var modules = GoogleValueAddedModules.For(Template, Template.FindTier("gold"), "de", twelve);

        Assert.Equal(GoogleValueAddedModules.MaxModules, modules.Count);
        Assert.Equal("Ihre Vorteile", modules[0].Header.DefaultValue.Value);
        Assert.Equal(["Offer 4", "Offer 12"], [modules[1].Header.DefaultValue.Value, modules[^1].Header.DefaultValue.Value]);
        Assert.Equal("1970-01-13T00:00:00Z", modules[^1].ViewConstraints!.DisplayInterval.End!.Date); // the offer's module hides when it expires
    }

    [Fact]
    public async Task The_holder_sees_the_longest_offer_whole_in_its_message_and_a_word_cut_preview_on_its_module_until_it_expires()
    {
        var memberId = TestMembers.NewId();
        var objectId = (await app.CreateMemberAsync(memberId)).GetProperty("google").GetProperty("objectId").GetString()!;
        var expiresAt = DateTimeOffset.UtcNow.AddDays(7);

        await app.Processor.ProcessAsync(GoogleTestEvents.Offer(memberId, 1, "winter", LongestTitle, LongestText, expiresAt), default);
        await Eventually.HoldsAsync(() => app.StoredObject(objectId)?["messages"]?.AsArray().Count == 1 && Modules(app.StoredObject(objectId)).Length == 2, "the offer reaches the object");

        Assert.Equal(new ShownMessage("winter", LongestTitle, LongestText), Assert.Single(app.Fake.ShownMessages(objectId)));
        // What Google displays of the module is what was sent: shortened at a word, not cut mid-word by Google's 60/50.
        Assert.Equal(
            [
                new ShownModule("Your perks", null, "https://northwind.example/rewards/perks"),
                new ShownModule("Members save 20% on the whole winter collection, in store…", "Show this pass at the till or use your member…", "https://northwind.example/rewards/offers"),
            ],
            app.Fake.ShownModules(objectId));

        try
        {
            app.Fake.Clock = new FakeTimeProvider(expiresAt);
            Assert.Empty(app.Fake.ShownMessages(objectId));
            Assert.Equal(["Your perks"], app.Fake.ShownModules(objectId).Select(module => module.Header));
        }
        finally
        {
            app.Fake.Clock = TimeProvider.System;
        }

        Assert.Empty(app.Fake.SchemaErrors);
    }

    [Fact]
    public async Task A_member_with_more_offers_than_google_shows_keeps_the_newest_within_googles_counts()
    {
        var memberId = TestMembers.NewId();
        var objectId = (await app.CreateMemberAsync(memberId)).GetProperty("google").GetProperty("objectId").GetString()!;

        foreach (var number in Enumerable.Range(1, 12))
        {
            await app.Processor.ProcessAsync(GoogleTestEvents.Offer(memberId, number, $"offer-{number}", $"Offer {number}: {LongestTitle}"[..100], LongestText), default);
        }

        await app.Processor.ProcessAsync(GoogleTestEvents.Tier(memberId, 13, "platinum"), default);
        await Eventually.HoldsAsync(async () => await app.GooglePendingAsync(memberId) is null && app.StoredObject(objectId)?["messages"]?.AsArray().Count == GooglePassContent.MaxMessages, "Google has the last version");

        // Messages: the tier announcement and the nine newest offers ("The maximum number of these fields is 10").
        var messages = app.Fake.ShownMessages(objectId);
        Assert.Equal(
            [.. Enumerable.Range(4, 9).Select(number => $"offer-{number}"), "tier-platinum"],
            messages.Select(message => message.Id!).OrderBy(id => id.StartsWith("offer-", StringComparison.Ordinal) ? int.Parse(id[6..], CultureInfo.InvariantCulture) : int.MaxValue));
        Assert.All(messages.Where(message => message.Id!.StartsWith("offer-", StringComparison.Ordinal)), message => Assert.Equal(LongestText, message.Body));
        // Modules: the perks page and the nine newest offers ("Maximum of ten on the object").
        var modules = app.Fake.ShownModules(objectId);
        Assert.Equal(GoogleValueAddedModules.MaxModules, modules.Count);
        Assert.Equal(["Your perks", .. Enumerable.Range(4, 9).Select(number => $"Offer {number}: Members save 20% on the whole winter collection…")], modules.Select(module => module.Header));
        Assert.Empty(app.Fake.SchemaErrors);
    }

    [Theory]
    [InlineData("Early access Friday", 50, "Early access Friday")] // fits: unchanged
    [InlineData("Early access Friday, doors open at nine for members only", 22, "Early access Friday…")] // no "Friday,…"
    [InlineData("Supercalifragilisticexpialidocious deals", 10, "Supercali…")] // one word longer than the limit is cut
    [InlineData("Winter 🎉🎉🎉", 9, "Winter…")] // a cut inside the emoji's surrogate pair falls back to the word
    public void A_text_longer_than_the_limit_is_cut_at_a_word_with_an_ellipsis(string text, int limit, string expected)
    {
        var shortened = GoogleValueAddedModules.Shorten(text, limit);

        Assert.Equal(expected, shortened);
        Assert.True(shortened.Length <= limit);
    }

    [Fact]
    public void Without_the_pages_there_are_no_modules_and_without_the_app_no_app_link()
    {
        var template = Template with { Links = null };

        Assert.Empty(GoogleValueAddedModules.For(template, template.FindTier("gold"), null, [new MemberOffer("o", "Offer", "Text", null)]));
        Assert.Null(GoogleValueAddedModules.AppLink(template, _ => throw new InvalidOperationException("no text without an app link")));
    }

    // The fake refuses what Google refuses: "Required fields are header and uri"; "Maximum of ten on the object".
    [Fact]
    public async Task The_fake_refuses_a_module_without_its_uri_and_an_eleventh_module()
    {
        await using var fake = await GoogleWalletFake.StartAsync();
        await using var services = fake.CreateClientServices();
        var client = services.GetRequiredService<GoogleWalletClient>();
        fake.SeedClass(GoogleWalletTestData.LoyaltyClass());
        var module = new ValueAddedModuleData { Header = new LocalizedString { DefaultValue = new TranslatedString("en", "Perks") }, Uri = "https://northwind.example/perks" };

        var withoutUri = await Assert.ThrowsAsync<GoogleWalletException>(() => client.InsertObjectAsync(GoogleWalletTestData.LoyaltyObject() with { ValueAddedModuleData = [module with { Uri = null! }] }));
        var eleven = await Assert.ThrowsAsync<GoogleWalletException>(() => client.InsertObjectAsync(GoogleWalletTestData.LoyaltyObject() with { ValueAddedModuleData = [.. Enumerable.Repeat(module, 11)] }));
        await client.InsertObjectAsync(GoogleWalletTestData.LoyaltyObject() with { ValueAddedModuleData = [.. Enumerable.Repeat(module, 10)] });

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (withoutUri.StatusCode, eleven.StatusCode));
        Assert.Equal(10, Assert.Single(fake.StoredObjects).Value["valueAddedModuleData"]!.AsArray().Count);
    }
}
