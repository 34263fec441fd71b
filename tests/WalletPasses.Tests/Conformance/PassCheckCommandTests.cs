using System.Diagnostics;
using WalletPasses.Conformance;
using WalletPasses.Tests.Infrastructure;
using static WalletPasses.Tests.Conformance.PassPackages;

namespace WalletPasses.Tests.Conformance;

/// <summary>The check-pass tool as a person runs it: a file path, a plain-language report, exit code 0 or 1.</summary>
public sealed class PassCheckCommandTests
{
    [Fact]
    public async Task The_tool_accepts_a_pass_the_app_made_and_exits_0()
    {
        var file = Write(Ours());

        var (exitCode, text) = await RunToolAsync(file, "--root", TestCertificates.Files.Root);

        Assert.Equal(0, exitCode);
        Assert.Contains("Pass: storeCard of Northwind Coffee, pass type pass.dev.walletpasses.northwind", text, StringComparison.Ordinal);
        Assert.Contains("Result: no problems found. Wallet accepts this pass.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_tool_reports_a_tampered_file_in_plain_language_and_exits_1()
    {
        var files = Files(Ours());
        files["strip.png"] = [.. files["strip.png"], 1];
        var file = Write(Zip(files));

        var (exitCode, text) = await RunToolAsync(file, "--root", TestCertificates.Files.Root);

        Assert.Equal(1, exitCode);
        Assert.Contains("ERROR   strip.png", text, StringComparison.Ordinal);
        Assert.Contains("the file was changed after the pass was built", text, StringComparison.Ordinal);
        Assert.Contains("Wallet will not accept this pass", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_development_root_a_development_pass_does_not_chain_to_apple()
    {
        var output = new StringWriter();

        var exitCode = PassCheckCommand.Run([Write(Ours())], output, DateTimeOffset.UtcNow);

        Assert.Equal(1, exitCode);
        Assert.Contains("ERROR   signature", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData]
    [InlineData("a.pkpass", "b.pkpass")]
    [InlineData("--nope")]
    public void Wrong_arguments_print_the_usage_and_exit_1(params string[] args)
    {
        var output = new StringWriter();

        Assert.Equal(1, PassCheckCommand.Run(args, output, DateTimeOffset.UtcNow));
        Assert.Contains(PassCheckCommand.Usage, output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_reported_not_thrown()
    {
        var output = new StringWriter();

        Assert.Equal(1, PassCheckCommand.Run([Path.Combine(TestCertificates.NewFolder(), "none.pkpass")], output, DateTimeOffset.UtcNow));
        Assert.Contains("Cannot read", output.ToString(), StringComparison.Ordinal);
    }

    private static string Write(byte[] pkpass)
    {
        var file = Path.Combine(TestCertificates.NewFolder(), "pass.pkpass");
        File.WriteAllBytes(file, pkpass);
        return file;
    }

    /// <summary>Runs the built tool (check-pass.dll, copied beside the tests by the project reference) with dotnet.</summary>
    private static async Task<(int ExitCode, string Output)> RunToolAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "check-pass.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, text + await process.StandardError.ReadToEndAsync());
    }
}
