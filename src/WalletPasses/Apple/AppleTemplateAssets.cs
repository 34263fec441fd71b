using System.Text;
using WalletPasses.Templates;

namespace WalletPasses.Apple;

/// <summary>
/// The parts of every pass that depend only on the template, prepared once per template version:
/// images and pass.strings with their SHA-1 and CRC already computed, per tier (the strip differs).
/// Building a pass then only hashes pass.json.
/// </summary>
public sealed class AppleTemplateAssets
{
    private readonly Dictionary<string, IReadOnlyList<PassFile>> _filesByTier;

    private AppleTemplateAssets(ProgramTemplate template, Dictionary<string, IReadOnlyList<PassFile>> filesByTier)
    {
        Template = template;
        _filesByTier = filesByTier;
    }

    public ProgramTemplate Template { get; }

    public IReadOnlyList<PassFile> FilesFor(TierTemplate tier) => _filesByTier[tier.Id];

    public static AppleTemplateAssets Create(ProgramTemplate template, IReadOnlyDictionary<string, byte[]> images)
    {
        var shared = new List<PassFile>();
        AddScaled(shared, images, template.Images.Icon, "icon");
        AddScaled(shared, images, template.Images.Logo, "logo");
        if (template.Poster is { } poster)
        {
            AddScaled(shared, images, poster.Artwork, PosterGenericJson.ArtworkImage);
            AddScaled(shared, images, poster.PrimaryLogo, PosterGenericJson.PrimaryLogoImage);
        }

        shared.AddRange(template.Strings.Keys.Order(StringComparer.Ordinal).Select(language =>
            PassFile.Create($"{language}.lproj/pass.strings", PassStrings(template, language))));

        var filesByTier = new Dictionary<string, IReadOnlyList<PassFile>>(StringComparer.Ordinal);
        foreach (var tier in template.Tiers)
        {
            var files = new List<PassFile>(shared);
            AddScaled(files, images, tier.Strip, "strip");
            filesByTier[tier.Id] = files;
        }

        return new AppleTemplateAssets(template, filesByTier);
    }

    /// <summary>
    /// A language's pass.strings: every template string (falling back to the default language, since
    /// Wallet shows the raw key for a missing one) plus each tier's perk list.
    /// </summary>
    public static byte[] PassStrings(ProgramTemplate template, string language)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in PassStringEntries(template, language))
        {
            text.Append('"').Append(Escape(key)).Append("\" = \"").Append(Escape(value)).Append("\";\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>The entries of a language's pass.strings, key to text (the demo's pass preview shows them too).</summary>
    public static SortedDictionary<string, string> PassStringEntries(ProgramTemplate template, string language)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in template.Strings.Values.SelectMany(strings => strings.Keys))
        {
            entries[key] = TemplateKeys.ChangeMessages.Contains(key) ? ChangeMessages.Format(template.Text(key, language)) : template.Text(key, language);
        }

        foreach (var tier in template.Tiers)
        {
            entries[PassJsonBuilder.PerksKey(tier.Id)] = string.Join('\n', tier.Perks.Select(perk => "• " + template.Text(TemplateKeys.Perk(perk.Id), language)));
        }

        return entries;
    }

    private static string Escape(string value) => value
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal);

    private static void AddScaled(List<PassFile> files, IReadOnlyDictionary<string, byte[]> images, string baseName, string passName)
    {
        foreach (var scale in TemplateValidation.Scales)
        {
            files.Add(PassFile.Create($"{passName}{scale}.png", images[$"{baseName}{scale}.png"]));
        }
    }
}
