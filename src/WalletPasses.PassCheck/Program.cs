using WalletPasses.Conformance;

namespace WalletPasses.PassCheck;

/// <summary>Checks any .pkpass, ours or another generator's: see <see cref="PassCheckCommand"/>.</summary>
public static class PassCheckProgram
{
    public static int Main(string[] args) => PassCheckCommand.Run(args, Console.Out, DateTimeOffset.UtcNow);
}
