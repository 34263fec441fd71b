using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace WalletPasses.Conformance;

/// <summary>
/// A stand-alone HTML page that draws a storeCard pass.json the way the demo page does (Web/demo/demo.js): Wallet's
/// layout with the pass's own colours, logo and strip, labels and values translated through the language's pass.strings,
/// the back fields below. Images are inlined as data URIs so the page needs nothing else. Every text is HTML-encoded.
/// </summary>
public static class PassPreviewHtml
{
    public static string Render(JsonElement pass, IReadOnlyDictionary<string, string> strings, byte[]? logoPng, byte[]? stripPng, string title)
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
            .Append("</style></head><body>");
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
