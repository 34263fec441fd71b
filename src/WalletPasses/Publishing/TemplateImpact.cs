using System.Text.Json;
using System.Text.Json.Nodes;
using WalletPasses.Apple;
using WalletPasses.Templates;

namespace WalletPasses.Publishing;

/// <summary>
/// What a template change does to one member's pass, from the real builders' output under both templates
/// (<see cref="PassJsonBuilder"/>, and the Google object JSON the caller builds). Pure.
/// </summary>
public static class TemplateImpact
{
    public static PassDifference Compare(LoadedTemplate before, LoadedTemplate after, PassContent content, string? language, JsonNode? objectBefore, JsonNode? objectAfter)
    {
        var shownBefore = Shown(before, content, language);
        var shownAfter = Shown(after, content, language);
        var passFields = shownBefore.Keys.Union(shownAfter.Keys, StringComparer.Ordinal)
            .Where(path => shownBefore.GetValueOrDefault(path) != shownAfter.GetValueOrDefault(path))
            .Concat(ChangedImages(before, after, content.TierId))
            .Order(StringComparer.Ordinal)
            .ToList();

        // Wallet alerts for a field that has a changeMessage when its value changes (Apple's Pass Design and Creation:
        // "changeMessage: Format string for the alert text that is displayed when the pass is updated").
        var alertFields = shownAfter.Keys
            .Where(path => path.EndsWith(".changeMessage", StringComparison.Ordinal))
            .Select(path => path[..^".changeMessage".Length])
            .Where(field => shownBefore.GetValueOrDefault(field + ".value") != shownAfter.GetValueOrDefault(field + ".value"))
            .Order(StringComparer.Ordinal)
            .ToList();

        return new PassDifference(passFields, alertFields, ChangedTopLevelFields(objectBefore, objectAfter));
    }

    /// <summary>Top-level fields of two JSON objects that differ (a Google class or object), by name.</summary>
    public static IReadOnlyList<string> ChangedTopLevelFields(JsonNode? before, JsonNode? after)
    {
        if (before is not JsonObject left || after is not JsonObject right)
        {
            return [];
        }

        return left.Select(p => p.Key).Union(right.Select(p => p.Key), StringComparer.Ordinal)
            .Where(name => !JsonNode.DeepEquals(left[name], right[name]))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>pass.json flattened to path → shown text; a value that is a pass.strings key shows that key's text in the language.</summary>
    private static Dictionary<string, string> Shown(LoadedTemplate template, PassContent content, string? language)
    {
        var program = template.Template;
        var tier = program.FindTier(content.TierId) ?? program.Tiers[0];
        var strings = AppleTemplateAssets.PassStringEntries(program, language is not null && program.Strings.ContainsKey(language) ? language : program.DefaultLanguage);
        var shown = new Dictionary<string, string>(StringComparer.Ordinal);
        Flatten(JsonNode.Parse(PassJsonBuilder.Build(program, tier, content)), "", strings, shown);
        return shown;
    }

    private static void Flatten(JsonNode? node, string path, SortedDictionary<string, string> strings, Dictionary<string, string> shown)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    Flatten(value, path.Length == 0 ? name : path + "." + name, strings, shown);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    // Pass fields are named by their key, so a field added in front does not make every later one "change".
                    var name = array[i] is JsonObject item && item["key"] is JsonValue key ? key.ToString() : i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    Flatten(array[i], $"{path}[{name}]", strings, shown);
                }

                break;
            case JsonValue value:
                var text = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
                shown[path] = strings.TryGetValue(text, out var localized) ? localized : text;
                break;
        }
    }

    /// <summary>The pass's image files (icon, logo, the tier's strip, each scale) whose bytes differ.</summary>
    private static IEnumerable<string> ChangedImages(LoadedTemplate before, LoadedTemplate after, string tierId)
    {
        static IEnumerable<string> FilesOf(LoadedTemplate template, string tierId)
        {
            var program = template.Template;
            var strip = (program.FindTier(tierId) ?? program.Tiers[0]).Strip;
            return new[] { program.Images.Icon, program.Images.Logo, strip }
                .SelectMany(baseName => TemplateValidation.Scales.Select(scale => $"{baseName}{scale}.png"));
        }

        var shownBefore = FilesOf(before, tierId).Select(file => before.Images.GetValueOrDefault(file)).ToList();
        var shownAfter = FilesOf(after, tierId).ToList();
        return shownAfter.Where((file, i) => after.Images.GetValueOrDefault(file) is not { } bytes || shownBefore.ElementAtOrDefault(i) is not { } old || !bytes.AsSpan().SequenceEqual(old))
            .Select(file => TemplatePackage.ImagesFolder + file);
    }
}
