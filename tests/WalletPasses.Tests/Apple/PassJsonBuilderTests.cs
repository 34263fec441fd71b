using System.Text.Json;
using WalletPasses.Apple;
using WalletPasses.Templates;

namespace WalletPasses.Tests.Apple;

public sealed class PassJsonBuilderTests
{
    private static readonly ProgramTemplate Template = DefaultTemplate.Template();

    private static JsonElement Build(PassContent content) =>
        JsonDocument.Parse(PassJsonBuilder.Build(Template, Template.FindTier(content.TierId)!, content)).RootElement;

    private static JsonElement Field(JsonElement pass, string section, string key) =>
        pass.GetProperty("storeCard").GetProperty(section).EnumerateArray().Single(f => f.GetProperty("key").GetString() == key);

    [Fact]
    public void A_store_card_has_every_key_Wallet_requires()
    {
        var pass = Build(PkPassBuilderTests.Content());

        Assert.Equal(1, pass.GetProperty("formatVersion").GetInt32());
        Assert.Equal(Template.PassTypeIdentifier, pass.GetProperty("passTypeIdentifier").GetString());
        Assert.Equal(Template.TeamIdentifier, pass.GetProperty("teamIdentifier").GetString());
        Assert.Equal("0123456789abcdef0123456789abcdef", pass.GetProperty("serialNumber").GetString());
        Assert.Equal("Northwind Coffee", pass.GetProperty("organizationName").GetString());
        Assert.Equal(TemplateKeys.Description, pass.GetProperty("description").GetString());
        Assert.Equal("https://wallet.test/api/passkit", pass.GetProperty("webServiceURL").GetString());
        Assert.True(pass.GetProperty("authenticationToken").GetString()!.Length >= 16);
        Assert.Equal(JsonValueKind.Object, pass.GetProperty("storeCard").ValueKind);
    }

    [Fact]
    public void Barcodes_is_an_array_holding_the_signed_token_as_QR()
    {
        var pass = Build(PkPassBuilderTests.Content());

        Assert.False(pass.TryGetProperty("barcode", out _));
        var barcode = Assert.Single(pass.GetProperty("barcodes").EnumerateArray().ToArray());
        Assert.Equal("PKBarcodeFormatQR", barcode.GetProperty("format").GetString());
        Assert.Equal("WP1.payload.signature", barcode.GetProperty("message").GetString());
        Assert.Equal("iso-8859-1", barcode.GetProperty("messageEncoding").GetString());
    }

    [Fact]
    public void Points_and_tier_alert_on_change_with_a_message_containing_the_placeholder()
    {
        var pass = Build(PkPassBuilderTests.Content());

        var points = Field(pass, "primaryFields", "points");
        Assert.Equal(1250, points.GetProperty("value").GetInt64());
        Assert.Equal("PKNumberStyleDecimal", points.GetProperty("numberStyle").GetString());
        Assert.Contains("%@", Template.Text(points.GetProperty("changeMessage").GetString()!));
        Assert.Contains("%@", Template.Text(points.GetProperty("changeMessage").GetString()!, "de"));

        var tier = Field(pass, "headerFields", "tier");
        Assert.Equal("Gold", Template.Text(tier.GetProperty("value").GetString()!));
        Assert.Contains("%@", Template.Text(tier.GetProperty("changeMessage").GetString()!));
        Assert.Equal("Jane Doe", Field(pass, "secondaryFields", "member").GetProperty("value").GetString());
    }

    [Fact]
    public void A_silent_update_carries_no_change_messages()
    {
        var pass = Build(PkPassBuilderTests.Content() with { Silent = true });

        Assert.DoesNotContain("changeMessage", pass.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Tier_colours_perks_and_referral_link_come_from_the_template_and_member()
    {
        var pass = Build(PkPassBuilderTests.Content());

        Assert.Equal("rgb(30, 57, 50)", pass.GetProperty("backgroundColor").GetString());
        Assert.Equal("rgb(255, 255, 255)", pass.GetProperty("foregroundColor").GetString());
        Assert.Equal(PassJsonBuilder.PerksKey("gold"), Field(pass, "backFields", "perks").GetProperty("value").GetString());
        var referral = Field(pass, "backFields", "referral");
        Assert.Equal("https://shop.example/r/JANE10", referral.GetProperty("value").GetString());
        Assert.Contains("href=\"https://shop.example/r/JANE10\"", referral.GetProperty("attributedValue").GetString());
    }

    [Fact]
    public void A_voided_pass_says_so_and_an_active_one_does_not()
    {
        Assert.True(Build(PkPassBuilderTests.Content() with { Voided = true }).GetProperty("voided").GetBoolean());
        Assert.False(Build(PkPassBuilderTests.Content()).TryGetProperty("voided", out _));
    }

    [Fact]
    public void Pass_strings_translate_every_key_in_each_language_and_escape_quotes()
    {
        var template = Template with
        {
            Strings = new Dictionary<string, IReadOnlyDictionary<string, string>>
            {
                ["en"] = new Dictionary<string, string>(Template.Strings["en"]) { ["label.member"] = "The \"member\"\\name" },
                ["de"] = new Dictionary<string, string>(Template.Strings["de"]),
            },
        };
        var text = System.Text.Encoding.UTF8.GetString(AppleTemplateAssets.PassStrings(template, "de"));

        Assert.Contains("\"label.points\" = \"Punkte\";", text);
        Assert.Contains("\"change.points\" = \"Sie haben jetzt %@ Punkte\";", text);
        Assert.Contains("\"perks.gold\" = \"• Kostenloser Versand\\n• Früher Zugang zu Neuheiten\\n• Gratis-Getränk zum Geburtstag\";", text);
        var english = System.Text.Encoding.UTF8.GetString(AppleTemplateAssets.PassStrings(template, "en"));
        Assert.Contains("\"label.member\" = \"The \\\"member\\\"\\\\name\";", english);
    }

    [Fact]
    public void A_language_missing_a_key_falls_back_to_the_default_language_rather_than_showing_the_key()
    {
        var german = new Dictionary<string, string>(Template.Strings["de"]);
        german.Remove("label.referral");
        var template = Template with { Strings = new Dictionary<string, IReadOnlyDictionary<string, string>> { ["en"] = Template.Strings["en"], ["de"] = german } };

        var text = System.Text.Encoding.UTF8.GetString(AppleTemplateAssets.PassStrings(template, "de"));

        Assert.Contains("\"label.referral\" = \"Give $10, get $10\";", text);
    }
}
