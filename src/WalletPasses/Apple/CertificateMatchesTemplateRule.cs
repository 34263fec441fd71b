using WalletPasses.Templates;

namespace WalletPasses.Apple;

/// <summary>
/// The template's pass type must be one the deployment has a certificate for (the main one or a named one: that is
/// the program's certificate), and its team the one that certificate may sign for.
/// </summary>
public sealed class CertificateMatchesTemplateRule(ProgramCertificates programCertificates) : ITemplateRule
{
    public IEnumerable<string> Check(ProgramTemplate programTemplate)
    {
        var certificates = programCertificates.For(programTemplate.PassTypeIdentifier) ?? programCertificates.Main;
        if (!string.Equals(programTemplate.PassTypeIdentifier, certificates.PassTypeIdentifier, StringComparison.Ordinal))
        {
            yield return $"The template's passTypeIdentifier '{programTemplate.PassTypeIdentifier}' does not match the pass certificate's '{certificates.PassTypeIdentifier}'"
                + (programCertificates.PassTypeIdentifiers.Count > 1 ? $" nor any of WalletPasses:Apple:PassTypeCertificates ({string.Join(", ", programCertificates.PassTypeIdentifiers.Order(StringComparer.Ordinal))})." : ".");
        }

        if (!string.Equals(programTemplate.TeamIdentifier, certificates.TeamIdentifier, StringComparison.Ordinal))
        {
            yield return $"The template's teamIdentifier '{programTemplate.TeamIdentifier}' does not match the pass certificate's team (OU) '{certificates.TeamIdentifier}'.";
        }
    }
}
