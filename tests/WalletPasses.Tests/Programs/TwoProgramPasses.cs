using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Programs;

/// <summary>
/// One member id in both programs ("Default Dana", 100 points; "Second Sam", 700) and the passes a phone installed
/// from their links, as <see cref="TwoPrograms.InstallBothAsync"/> makes them.
/// </summary>
public sealed record TwoProgramPasses(string MemberId, InstalledPass DefaultPass, InstalledPass SecondPass, PkPass SecondPackage)
{
    /// <summary>The QR token the second program's pass shows staff.</summary>
    public string SecondBarcode => SecondPackage.PassJson.GetProperty("barcodes")[0].GetProperty("message").GetString()!;
}
