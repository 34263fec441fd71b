using WalletPasses.Templates;

namespace WalletPasses.Google;

/// <summary>Google Wallet needs a square program logo (it is required on the class).</summary>
public sealed class GoogleTemplateRule : ITemplateRule
{
    public const string ProgramLogoRequired = "images.programLogo (a square PNG, shown cropped to a circle) is required for Google Wallet.";

    public IEnumerable<string> Check(ProgramTemplate programTemplate) =>
        programTemplate.Images.ProgramLogo is null ? [ProgramLogoRequired] : [];
}
