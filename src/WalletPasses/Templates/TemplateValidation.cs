using WalletPasses.Security;

namespace WalletPasses.Templates;

public static class TemplateValidation
{
    public static readonly string[] Scales = ["", "@2x", "@3x"];

    public static IReadOnlyList<string> Validate(ProgramTemplate template, IReadOnlyDictionary<string, byte[]> images, IEnumerable<ITemplateRule> rules)
    {
        var errors = new List<string>();
        if (template.Tiers.Count == 0)
        {
            errors.Add("The template defines no tiers.");
        }

        if (template.Tiers.Select(t => t.Id).Distinct(StringComparer.Ordinal).Count() != template.Tiers.Count)
        {
            errors.Add("Tier ids must be unique.");
        }

        if (!template.Strings.TryGetValue(template.DefaultLanguage, out var defaults))
        {
            errors.Add($"The default language '{template.DefaultLanguage}' has no strings.");
            defaults = new Dictionary<string, string>();
        }

        var requiredKeys = TemplateKeys.Required
            .Concat(template.Tiers.Select(t => TemplateKeys.Tier(t.Id)))
            .Concat(template.Tiers.SelectMany(t => t.Perks).Select(p => TemplateKeys.Perk(p.Id)));
        errors.AddRange(requiredKeys.Where(key => !defaults.ContainsKey(key)).Select(key => $"String '{key}' is missing in the default language."));

        // Apple: "The format string must contain the escape %@, which is replaced with the field's new value": one value,
        // so exactly one %@ (a second would read a value Wallet never passes).
        errors.AddRange(
            from language in template.Strings
            from key in TemplateKeys.ChangeMessages
            where language.Value.TryGetValue(key, out var text) && ChangeMessages.Placeholders(ChangeMessages.Format(text)) != 1
            select $"String '{key}' ({language.Key}) must contain %@ exactly once, where the new value goes.");

        foreach (var tier in template.Tiers)
        {
            if (!IdentifierFormat.TemplateId.IsValid(tier.Id))
            {
                errors.Add($"Tier id '{tier.Id}' must be lowercase letters, digits or '-'.");
            }

            foreach (var (name, color) in new[] { ("backgroundColor", tier.BackgroundColor), ("foregroundColor", tier.ForegroundColor), ("labelColor", tier.LabelColor) })
            {
                if (!HexColor.TryParse(color, out _))
                {
                    errors.Add($"Tier '{tier.Id}' {name} '{color}' is not a #RRGGBB colour.");
                }
            }
        }

        var scaledImages = template.Tiers.Select(t => t.Strip).Append(template.Images.Icon).Append(template.Images.Logo);
        if (template.Poster is { } poster)
        {
            scaledImages = scaledImages.Append(poster.Artwork).Append(poster.PrimaryLogo);
        }

        foreach (var baseName in scaledImages)
        {
            errors.AddRange(Scales.Select(scale => $"{baseName}{scale}.png").Where(file => !images.ContainsKey(file)).Select(file => $"Image '{file}' is missing."));
        }

        // The Google Wallet images are single files named with their extension.
        foreach (var file in new[] { template.Images.ProgramLogo, template.Images.Hero }.OfType<string>().Where(file => !images.ContainsKey(file)))
        {
            errors.Add($"Image '{file}' is missing.");
        }

        foreach (var (file, bytes) in images)
        {
            if (!IsPng(bytes))
            {
                errors.Add($"Image '{file}' is not a PNG file.");
            }
        }

        foreach (var rule in rules)
        {
            errors.AddRange(rule.Check(template));
        }

        return errors;
    }

    private static bool IsPng(byte[] bytes) => bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
}
