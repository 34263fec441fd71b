using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace WalletPasses.Conformance;

/// <summary>
/// A stand-alone HTML page that draws a storeCard pass.json the way the demo page does (Web/demo/demo.js): Wallet's
/// layout with the pass's own colours, logo and strip, labels and values translated through the language's pass.strings,
/// the back fields below, and for a poster template the poster look above it. Images are inlined as data URIs so the page
/// needs nothing else. Every text is HTML-encoded.
/// </summary>
public static class PassPreviewHtml
{
    /// <param name="poster">For a pass with <c>posterGeneric</c>: its artwork and primary logo (PNG), drawn above the store card.</param>
    public static string Render(JsonElement pass, IReadOnlyDictionary<string, string> strings, byte[]? logoPng, byte[]? stripPng, string title, (byte[]? Artwork, byte[]? PrimaryLogo) poster = default)
    {
        string Text(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.String => strings.TryGetValue(value.GetString()!, out var text) ? text : value.GetString()!,
            JsonValueKind.Number => value.TryGetInt64(out var number) ? number.ToString("N0", CultureInfo.InvariantCulture) : value.GetRawText(),
            _ => value.GetRawText(),
        };
        string Encode(string value) => WebUtility.HtmlEncode(value);
        string Property(JsonElement element, string name) => element.TryGetProperty(name, out var value) ? Text(value) : "";
        var card = pass.TryGetProperty("storeCard", out var storeCard) ? storeCard : default;
        IEnumerable<JsonElement> Fields(string set) => card.ValueKind == JsonValueKind.Object && card.TryGetProperty(set, out var fields) ? fields.EnumerateArray() : [];
        string Field(JsonElement field, string cssClass) =>
            $"<div class=\"{cssClass}\"><span class=\"label\">{Encode(Property(field, "label"))}</span><span class=\"value\">{Encode(Property(field, "value"))}</span></div>";
        string Image(byte[]? png, string alt) => png is null ? "" : $"<img src=\"data:image/png;base64,{Convert.ToBase64String(png)}\" alt=\"{Encode(alt)}\">";

        var barcode = pass.TryGetProperty("barcodes", out var barcodes) && barcodes.GetArrayLength() > 0 ? barcodes[0] : default;
        var html = new StringBuilder();
        html.Append("<!doctype html><html><head><meta charset=\"utf-8\"><title>").Append(Encode(title)).Append("</title><style>")
            .Append("body{font-family:system-ui,sans-serif;background:#f3f3f3;padding:2rem}")
            .Append(".pass{width:320px;border-radius:12px;overflow:hidden;background:var(--background);color:var(--foreground);box-shadow:0 2px 12px #0003}")
            .Append(".top{display:flex;align-items:center;gap:.5rem;padding:.75rem}.top img{max-height:2rem;max-width:6rem}.logo-text{flex:1;font-weight:600}")
            .Append(".label{display:block;font-size:.65rem;text-transform:uppercase;color:var(--label)}.value{display:block}")
            .Append(".strip{position:relative}.strip img{width:100%;display:block}.primary{position:absolute;left:.75rem;top:.5rem}.primary .value{font-size:2rem}")
            .Append(".secondary{padding:.75rem}.barcode{background:#fff;color:#000;margin:.75rem;padding:.5rem;text-align:center;border-radius:6px;font-size:.7rem;word-break:break-all}")
            .Append("dl{max-width:320px}dt{font-weight:600;margin-top:.5rem}dd{margin:0;white-space:pre-line}")
            .Append(".poster{width:320px;aspect-ratio:358/448;border-radius:12px;overflow:hidden;position:relative;background:var(--background);color:var(--foreground);box-shadow:0 2px 12px #0003}")
            .Append(".poster>img.artwork{position:absolute;inset:0;width:100%;height:100%;object-fit:cover}.poster .top,.poster .bottom{position:relative}")
            .Append(".poster .bottom{position:absolute;left:0;right:0;bottom:0;padding:.75rem;background:#0007}.title{font-size:1.5rem;font-weight:700}")
            .Append("</style></head><body>");
        if (pass.TryGetProperty("posterGeneric", out var posterStyle) && posterStyle.ValueKind == JsonValueKind.Object)
        {
            // iOS 27 shows the poster; earlier iOS the store card below (Apple, "Creating a poster generic pass").
            IEnumerable<JsonElement> PosterFields(string set) => posterStyle.TryGetProperty(set, out var fields) && fields.ValueKind == JsonValueKind.Array ? fields.EnumerateArray() : [];
            html.Append("<h2>iOS and watchOS 27: poster</h2>");
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"poster\" style=\"--background:{Encode(Property(pass, "backgroundColor"))};--foreground:{Encode(Property(pass, "foregroundColor"))};--label:{Encode(Property(pass, "labelColor"))}\">");
            html.Append(poster.Artwork is null ? "" : $"<img class=\"artwork\" src=\"data:image/png;base64,{Convert.ToBase64String(poster.Artwork)}\" alt=\"artwork\">");
            html.Append("<div class=\"top\">").Append(Image(poster.PrimaryLogo, "primary logo"));
            foreach (var field in PosterFields("headerFields"))
            {
                html.Append(Field(field, "header"));
            }

            html.Append("</div><div class=\"bottom\">");
            foreach (var field in PosterFields("primaryFields"))
            {
                html.Append(field.TryGetProperty("label", out _) ? Field(field, "primary-field") : $"<div class=\"title\">{Encode(Property(field, "value"))}</div>");
            }

            foreach (var field in PosterFields("footerFields"))
            {
                html.Append(Field(field, "footer"));
            }

            html.Append("</div></div><ul>");
            foreach (var action in pass.TryGetProperty("featuredActions", out var actions) && actions.ValueKind == JsonValueKind.Array ? actions.EnumerateArray() : [])
            {
                html.Append("<li>").Append(Encode(Property(action, "type"))).Append(": ").Append(Encode(Property(action, "url"))).Append("</li>");
            }

            html.Append("</ul><h2>Earlier iOS: store card</h2>");
        }

        html.Append(CultureInfo.InvariantCulture, $"<div class=\"pass\" style=\"--background:{Encode(Property(pass, "backgroundColor"))};--foreground:{Encode(Property(pass, "foregroundColor"))};--label:{Encode(Property(pass, "labelColor"))}\">");
        html.Append("<div class=\"top\">").Append(Image(logoPng, "logo")).Append("<span class=\"logo-text\">").Append(Encode(Property(pass, "logoText"))).Append("</span>");
        foreach (var field in Fields("headerFields"))
        {
            html.Append(Field(field, "header"));
        }

        html.Append("</div><div class=\"strip\">").Append(Image(stripPng, "strip"));
        foreach (var field in Fields("primaryFields"))
        {
            html.Append(Field(field, "primary"));
        }

        html.Append("</div>");
        foreach (var field in Fields("secondaryFields").Concat(Fields("auxiliaryFields")))
        {
            html.Append(Field(field, "secondary"));
        }

        if (barcode.ValueKind == JsonValueKind.Object)
        {
            html.Append("<div class=\"barcode\">").Append(Encode(Property(barcode, "format"))).Append("<br>").Append(Encode(Property(barcode, "altText"))).Append("</div>");
        }

        html.Append("</div><h2>Back of the pass</h2><dl>");
        foreach (var field in Fields("backFields"))
        {
            html.Append("<dt>").Append(Encode(Property(field, "label"))).Append("</dt><dd>").Append(Encode(Property(field, "value"))).Append("</dd>");
        }

        return html.Append("</dl></body></html>").ToString();
    }
}
