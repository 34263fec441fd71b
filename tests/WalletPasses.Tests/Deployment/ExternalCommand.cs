using System.Diagnostics;

namespace WalletPasses.Tests.Deployment;

/// <summary>What a command-line tool (a repository script, the Bicep CLI) printed and returned.</summary>
public sealed record ExternalCommandResult(int ExitCode, string Output, string Errors)
{
    /// <summary>The last non-empty line of standard output (package.sh prints the zip's path there).</summary>
    public string LastLine => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Errors}";
}

public static class ExternalCommand
{
    public static async Task<ExternalCommandResult> RunAsync(string executable, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new ExternalCommandResult(process.ExitCode, await output, await errors);
    }
}
