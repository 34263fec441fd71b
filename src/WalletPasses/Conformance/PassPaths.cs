namespace WalletPasses.Conformance;

/// <summary>
/// Where a problem in a pass.json is reported: a template names its own settings (<c>tiers.gold.fields.primary[0].key</c>,
/// <c>languages.de.strings.change.points</c>), a .pkpass names its files (<c>pass.json:storeCard.primaryFields[0].key</c>).
/// </summary>
/// <param name="Key">A top-level pass.json key.</param>
/// <param name="Field">A property of field <c>index</c> in a field set such as <c>primaryFields</c>.</param>
/// <param name="Translation">A string of a language's pass.strings.</param>
public sealed record PassPaths(Func<string, string> Key, Func<string, int, string, string> Field, Func<string, string, string> Translation)
{
    /// <summary>The paths of a .pkpass's own files.</summary>
    public static PassPaths Package(string style) => new(
        key => "pass.json:" + key,
        (section, index, property) => $"pass.json:{style}.{section}[{index}].{property}",
        (language, key) => $"{language}.lproj/pass.strings:{key}");
}
