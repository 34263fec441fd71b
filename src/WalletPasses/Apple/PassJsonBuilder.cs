using System.Buffers;
using System.Text.Json;
using WalletPasses.Notifications;
using WalletPasses.Popups;
using WalletPasses.Templates;

namespace WalletPasses.Apple;

/// <summary>
/// pass.json of a loyalty storeCard. Labels, tier names and change messages are string keys that each
/// language's pass.strings translates, so one pass.json serves every language.
/// </summary>
public static class PassJsonBuilder
{
    public static byte[] Build(ProgramTemplate template, TierTemplate tier, PassContent content)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("formatVersion", 1);
            json.WriteString("passTypeIdentifier", template.PassTypeIdentifier);
            json.WriteString("serialNumber", content.SerialNumber);
            json.WriteString("teamIdentifier", template.TeamIdentifier);
            json.WriteString("organizationName", template.OrganizationName);
            json.WriteString("description", TemplateKeys.Description);
            json.WriteString("logoText", TemplateKeys.LogoText);
            json.WriteString("backgroundColor", HexColor.Parse(tier.BackgroundColor).ToCssRgb());
            json.WriteString("foregroundColor", HexColor.Parse(tier.ForegroundColor).ToCssRgb());
            json.WriteString("labelColor", HexColor.Parse(tier.LabelColor).ToCssRgb());
            json.WriteString("webServiceURL", content.WebServiceUrl.AbsoluteUri.TrimEnd('/'));
            json.WriteString("authenticationToken", content.AuthenticationToken);
            json.WriteBoolean("sharingProhibited", true);
            if (content.Voided)
            {
                json.WriteBoolean("voided", true);
            }

            json.WriteStartArray("barcodes");
            json.WriteStartObject();
            json.WriteString("format", "PKBarcodeFormatQR");
            json.WriteString("message", content.BarcodeMessage);
            json.WriteString("messageEncoding", "iso-8859-1");
            if (!string.IsNullOrEmpty(content.BarcodeAltText))
            {
                json.WriteString("altText", content.BarcodeAltText);
            }
            json.WriteEndObject();
            json.WriteEndArray();
            PopupPassJson.WriteLocations(json, content.Popups);

            json.WriteStartObject("storeCard");
            var alerts = content.Silent ? PassAlerts.None : content.Alerts;
            var face = new PassFace(
                new Field("tier", TemplateKeys.TierLabel, TemplateKeys.Tier(tier.Id)) { ChangeMessage = TemplateKeys.TierChanged, Alert = PassAlerts.Tier },
                new Field("points", TemplateKeys.PointsLabel, Number: content.Points) { ChangeMessage = TemplateKeys.PointsChanged, Alert = PassAlerts.Points },
                new Field("member", TemplateKeys.MemberLabel, content.DisplayName),
                BackFields(template, tier, content));
            WriteFields(json, "headerFields", [face.Tier], alerts);
            WriteFields(json, "primaryFields", [face.Points], alerts);
            WriteFields(json, "secondaryFields", [face.Member], alerts);
            WriteFields(json, "backFields", face.Back, alerts);
            json.WriteEndObject();
            if (template.Poster is { } poster)
            {
                PosterGenericJson.Write(json, template, poster, content, face, alerts);
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The pass.strings key of a tier's perk list (one line per perk).</summary>
    public static string PerksKey(string tierId) => "perks." + tierId;

    private static List<Field> BackFields(ProgramTemplate template, TierTemplate tier, PassContent content)
    {
        var fields = new List<Field>();
        foreach (var offer in content.Offers)
        {
            fields.Add(new Field("offer-" + offer.Id, null, offer.Title + "\n" + offer.Text) { ChangeMessage = TemplateKeys.OfferChanged, Alert = PassAlerts.Offers });
        }

        // Wallet alerts only for a field whose value changes, and the tier field changed silently in quiet hours:
        // the alert that waited for their end comes from this field, whose value changes when it is sent.
        if (content.AnnouncedTier is { } announced)
        {
            fields.Add(new Field("announcement", TemplateKeys.TierLabel, TemplateKeys.Tier(announced)) { ChangeMessage = TemplateKeys.TierChanged, Alert = PassAlerts.Announcement });
        }

        if (content.Popups.Count > 0)
        {
            fields.Add(new Field(PopupPassJson.BackFieldKey, PopupText.Label(template, null, asKey: true), PopupText.List(content.Popups)));
        }

        if (tier.Perks.Count > 0)
        {
            fields.Add(new Field("perks", TemplateKeys.PerksLabel, PerksKey(tier.Id)));
        }

        if (content.ReferralUrl is not null)
        {
            fields.Add(new Field("referral", TemplateKeys.ReferralLabel, content.ReferralUrl)
            {
                AttributedValue = $"<a href=\"{System.Net.WebUtility.HtmlEncode(content.ReferralUrl)}\">{System.Net.WebUtility.HtmlEncode(content.ReferralUrl)}</a>",
            });
        }

        return fields;
    }

    internal static void WriteFields(Utf8JsonWriter json, string name, List<Field> fields, PassAlerts alerts)
    {
        json.WriteStartArray(name);
        foreach (var field in fields)
        {
            json.WriteStartObject();
            json.WriteString("key", field.Key);
            if (field.Label is not null)
            {
                json.WriteString("label", field.Label);
            }

            if (field.Number is { } number)
            {
                json.WriteNumber("value", number);
                json.WriteString("numberStyle", "PKNumberStyleDecimal");
            }
            else
            {
                json.WriteString("value", field.Text);
            }

            if (field.AttributedValue is not null)
            {
                json.WriteString("attributedValue", field.AttributedValue);
            }

            // Wallet alerts on the lock screen only for fields with a changeMessage.
            if (field.ChangeMessage is not null && alerts.HasFlag(field.Alert))
            {
                json.WriteString("changeMessage", field.ChangeMessage);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    internal sealed record Field(string Key, string? Label, string? Text = null, long? Number = null)
    {
        public string? ChangeMessage { get; init; }

        /// <summary>The change this field's changeMessage announces; it is written only when that change may alert.</summary>
        public PassAlerts Alert { get; init; }

        public string? AttributedValue { get; init; }
    }

    /// <summary>The fields of a member's pass, shared by the store card and the poster (each lays them out its own way).</summary>
    internal sealed record PassFace(Field Tier, Field Points, Field Member, List<Field> Back);
}
