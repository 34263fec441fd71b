using System.Text.Json;
using System.Xml.Linq;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Deployment;

/// <summary>
/// The Bicep CLI from the NuGet package <c>Azure.Bicep.CommandLine.linux-x64</c>, which the test project restores
/// with a PackageDownload (its version is read from there), and the compiled infrastructure template.
/// </summary>
public static class BicepCli
{
    private const string PackageId = "Azure.Bicep.CommandLine.linux-x64";
    private static readonly Lazy<Task<string>> Executable = new(LocateAsync);
    private static readonly Lazy<Task<JsonElement>> Compiled = new(CompileAsync);

    public static string TemplatePath => RepositoryPaths.Combine("function-host", "infra", "main.bicep");

    public static async Task<ExternalCommandResult> RunAsync(IEnumerable<string> arguments, IDictionary<string, string>? environment = null) =>
        await ExternalCommand.RunAsync(await Executable.Value, arguments, environment);

    /// <summary>main.bicep compiled to its ARM JSON (what Azure Resource Manager deploys), once per test run.</summary>
    public static Task<JsonElement> CompiledTemplateAsync() => Compiled.Value;

    private static async Task<JsonElement> CompileAsync()
    {
        var build = await RunAsync(["build", TemplatePath, "--stdout"]);
        return build.ExitCode == 0 ? JsonDocument.Parse(build.Output).RootElement : throw new InvalidOperationException(build.ToString());
    }

    private static async Task<string> LocateAsync()
    {
        var project = XDocument.Load(RepositoryPaths.Combine("tests", "WalletPasses.Tests", "WalletPasses.Tests.csproj"));
        var version = project.Descendants("PackageDownload").Single(item => (string?)item.Attribute("Include") == PackageId)
            .Attribute("Version")!.Value.Trim('[', ']');

        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (string.IsNullOrEmpty(packages))
        {
            // "global-packages: /root/.nuget/packages/"
            var locals = await ExternalCommand.RunAsync("dotnet", ["nuget", "locals", "global-packages", "--list"]);
            packages = locals.LastLine[(locals.LastLine.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }

        var executable = Path.Combine(packages, PackageId.ToLowerInvariant(), version, "tools", "bicep");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"{executable} is missing: restore tests/WalletPasses.Tests (it downloads {PackageId} {version}).");
        }

        if (!OperatingSystem.IsWindows())
        {
            // NuGet extracts package files without their executable bit.
            File.SetUnixFileMode(executable, File.GetUnixFileMode(executable) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        return executable;
    }
}
