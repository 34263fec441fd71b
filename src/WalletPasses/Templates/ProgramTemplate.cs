namespace WalletPasses.Templates;

/// <summary>
/// A loyalty program's look and words, stored as <c>templates/{programId}/template.json</c> in Blob Storage
/// beside its images. Texts are keys into <see cref="Strings"/> so every platform localizes the same way.
/// </summary>
public sealed record ProgramTemplate
{
    public required string ProgramId { get; init; }

    public required string ProgramName { get; init; }

    public required string OrganizationName { get; init; }

    public required string PassTypeIdentifier { get; init; }

    public required string TeamIdentifier { get; init; }

    public string DefaultLanguage { get; init; } = "en";

    public required TemplateImages Images { get; init; }

    public required IReadOnlyList<TierTemplate> Tiers { get; init; }

    /// <summary>Optional: Apple's poster generic style, with the store card kept for older devices.</summary>
    public PosterTemplate? Poster { get; init; }

    /// <summary>Optional: the program's pages and app (poster featured actions, Google value-added modules and app link).</summary>
    public TemplateLinks? Links { get; init; }

    /// <summary>Language -> string key -> text. The default language must define every key in use.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Strings { get; init; }

    public TierTemplate? FindTier(string tierId) => Tiers.FirstOrDefault(t => string.Equals(t.Id, tierId, StringComparison.Ordinal));

    /// <summary>The text of a key in a language, falling back to the default language, then to the key.</summary>
    public string Text(string key, string? language = null)
    {
        if (language is not null && Strings.TryGetValue(language, out var localized) && localized.TryGetValue(key, out var text))
        {
            return text;
        }

        return Strings.TryGetValue(DefaultLanguage, out var fallback) && fallback.TryGetValue(key, out var defaultText) ? defaultText : key;
    }
}
