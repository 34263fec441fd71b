using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
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
