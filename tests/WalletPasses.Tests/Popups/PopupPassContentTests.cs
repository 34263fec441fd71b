using System.Text.Json;
using WalletPasses.Apple;
using WalletPasses.Google;
using WalletPasses.Popups;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Google;
using WalletPasses.Templates;

namespace WalletPasses.Tests.Popups;

/// <summary>
/// Pop-ups in pass content, without storage. Apple: <c>locations</c> of up to 10 with latitude, longitude and
/// relevantText (https://developer.apple.com/documentation/walletpasses/pass); dates only for "boarding passes, event
/// tickets, and generic passes" (https://developer.apple.com/documentation/walletpasses/showing-a-pass-on-the-lock-screen),
/// so a store card gets none. Google: <c>merchantLocations</c>, checked against the discovery schemas with the fields
/// Google added since the vendored revision (Google/TestData/README.md).
/// </summary>
public sealed class PopupPassContentTests
{
    private static readonly ProgramTemplate Template = DefaultTemplate.Template();
    private static readonly DateTimeOffset Opens = new(2026, 12, 5, 10, 0, 0, TimeSpan.FromHours(1));

    private static Popup[] Popups(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new Popup($"e{i:x2}", $"Pop-up {i}", $"Street {i}, Berlin", 52.5 + (i / 100.0), 13.4, Opens.AddHours(i), Opens.AddHours(i + 8), [], $"Pop-up {i} is near"))];

    private static JsonElement Build(PassContent content) =>
        JsonDocument.Parse(PassJsonBuilder.Build(Template, Template.FindTier(content.TierId)!, content)).RootElement;

    [Fact]
    public void A_store_card_carries_its_pop_ups_as_locations_with_relevant_text_and_no_date_key_and_lists_them_on_the_back()
    {
        var pass = Build(PkPassBuilderTests.Content() with { Popups = Popups(2) });

        var locations = pass.GetProperty("locations").EnumerateArray().ToList();
        Assert.Equal(2, locations.Count);
        Assert.Equal(52.5, locations[0].GetProperty("latitude").GetDouble());
        Assert.Equal(13.4, locations[0].GetProperty("longitude").GetDouble());
        Assert.Equal("Pop-up 0 is near", locations[0].GetProperty("relevantText").GetString());
        Assert.False(pass.TryGetProperty("relevantDate", out _));
        Assert.False(pass.TryGetProperty("relevantDates", out _));
        var back = pass.GetProperty("storeCard").GetProperty("backFields").EnumerateArray().Single(f => f.GetProperty("key").GetString() == PopupPassJson.BackFieldKey);
        Assert.Equal(PopupText.LabelKey, back.GetProperty("label").GetString()); // translated by each language's pass.strings
        Assert.Contains("Pop-up 1\nStreet 1, Berlin\n2026-12-05 11:00–19:00", back.GetProperty("value").GetString(), StringComparison.Ordinal);
        Assert.False(back.TryGetProperty("changeMessage", out _)); // a pop-up appearing does not alert
    }

    [Fact]
    public void A_pass_without_pop_ups_has_no_locations_and_never_more_than_ten()
    {
        Assert.False(Build(PkPassBuilderTests.Content()).TryGetProperty("locations", out _));
        Assert.Equal(PopupRules.MaxPerPass, Build(PkPassBuilderTests.Content() with { Popups = Popups(12) }).GetProperty("locations").GetArrayLength());
    }

    [Fact]
    public void Every_language_of_the_default_template_has_the_label()
    {
        Assert.All(Template.Strings, strings => Assert.True(strings.Value.ContainsKey(PopupText.LabelKey), strings.Key));
        Assert.Equal("Pop-up-Stores", PopupText.Label(Template, "de", asKey: false));
    }

    [Fact]
    public void The_google_object_carries_merchant_locations_as_the_discovery_schema_has_them_and_an_empty_array_clears_them()
    {
        var loyaltyObject = new LoyaltyObject { Id = GoogleWalletTestData.IssuerId + ".pass", ClassId = GoogleWalletTestData.IssuerId + ".class", State = LoyaltyObjectState.Active };

        var withPopups = JsonSerializer.Serialize(loyaltyObject.WithPopups(Template, "de", Popups(12)), GoogleWalletJson.Options);
        var without = JsonSerializer.Serialize(loyaltyObject.WithPopups(Template, "de", []), GoogleWalletJson.Options);

        Assert.Empty(DiscoverySchemaValidator.WalletObjects.Validate("LoyaltyObject", withPopups));
        using var document = JsonDocument.Parse(withPopups);
        var locations = document.RootElement.GetProperty("merchantLocations");
        Assert.Equal(PopupRules.MaxPerPass, locations.GetArrayLength());
        Assert.Equal(52.5, locations[0].GetProperty("latitude").GetDouble());
        var module = document.RootElement.GetProperty("textModulesData").EnumerateArray().Single();
        Assert.Equal("Pop-up-Stores", module.GetProperty("header").GetString());
        Assert.Contains("\"merchantLocations\":[]", without, StringComparison.Ordinal);
    }
}
