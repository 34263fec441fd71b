namespace WalletPasses.Conformance;

/// <summary>
/// One way a template or a pass departs from Apple's or Google's rules. <paramref name="Path"/> names the place to change:
/// in a template <c>images/logo@2x.png</c>, <c>tiers.gold.fields.primary[0].key</c>, <c>languages.de.strings.change.points</c>;
/// in a .pkpass the file and, after a colon, the JSON path (<c>pass.json:storeCard.primaryFields[0].key</c>).
/// </summary>
public sealed record ConformanceProblem(ConformanceSeverity Severity, string Path, string Message, string Fix)
{
    public override string ToString() => $"{(Severity == ConformanceSeverity.Error ? "error" : "warning")} {Path}: {Message} Fix: {Fix}";
}
