namespace WalletPasses.Templates;

/// <summary>A check a capability adds to template validation (for example: the signing certificate matches).</summary>
public interface ITemplateRule
{
    IEnumerable<string> Check(ProgramTemplate programTemplate);
}
