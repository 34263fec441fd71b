using WalletPasses.Templates;

namespace WalletPasses.Apple;

/// <summary>The template's pass type and team must be the ones the certificate may sign for.</summary>
public sealed class CertificateMatchesTemplateRule(PassCertificates certificates) : ITemplateRule
{
    public IEnumerable<string> Check(ProgramTemplate programTemplate)
    {
        if (!string.Equals(programTemplate.PassTypeIdentifier, certificates.PassTypeIdentifier, StringComparison.Ordinal))
        {
            yield return $"The template's passTypeIdentifier '{programTemplate.PassTypeIdentifier}' does not match the pass certificate's '{certificates.PassTypeIdentifier}'.";
        }

        if (!string.Equals(programTemplate.TeamIdentifier, certificates.TeamIdentifier, StringComparison.Ordinal))
        {
            yield return $"The template's teamIdentifier '{programTemplate.TeamIdentifier}' does not match the pass certificate's team (OU) '{certificates.TeamIdentifier}'.";
        }
    }
}
