using System.Text.Json;
using System.Xml.Linq;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Deployment;

/// <summary>
/// The Bicep CLI from the NuGet package <c>Azure.Bicep.CommandLine.linux-x64</c>, which the test project restores
/// with a PackageDownload (its version is read from there), the compiled infrastructure template, and what a
/// deployment of it with given parameters would write (<c>bicep snapshot</c>).
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

    /// <summary>
    /// The resources a deployment of main.bicep with these parameters (besides appName) would write, as
    /// <c>bicep snapshot</c> predicts them for a fixed subscription and resource group: parameters, conditions and
    /// functions evaluated, values known only once deployed (an identity's client id) left as ARM expressions.
    /// A parameter is a string, a bool, an int or a dictionary of strings (an object).
    /// </summary>
    public static async Task<JsonElement[]> SnapshotAsync(IReadOnlyDictionary<string, object> parameters)
    {
        var directory = Directory.CreateTempSubdirectory("walletpasses-bicep-");
        try
        {
            File.Copy(TemplatePath, Path.Combine(directory.FullName, "main.bicep"));
            var lines = new List<string> { "using 'main.bicep'", "param appName = 'walletpasses'" };
            lines.AddRange(parameters.Select(parameter => $"param {parameter.Key} = {Literal(parameter.Value)}"));
            var parameterFile = Path.Combine(directory.FullName, "deployment.bicepparam");
            await File.WriteAllLinesAsync(parameterFile, lines);

            var snapshot = await RunAsync(
            [
                "snapshot", parameterFile, "--mode", "overwrite", "--tenant-id", "00000000-0000-0000-0000-00000000000a",
                "--subscription-id", "00000000-0000-0000-0000-00000000000b", "--resource-group", "rg-walletpasses", "--location", "westeurope",
            ]);
            if (snapshot.ExitCode != 0)
            {
                throw new InvalidOperationException(snapshot.ToString());
            }

            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory.FullName, "deployment.snapshot.json")));
            return [.. document.RootElement.GetProperty("predictedResources").EnumerateArray().Select(resource => resource.Clone())];
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static string Literal(object value) => value switch
    {
        string text => Quoted(text),
        bool flag => flag ? "true" : "false",
        int number => number.ToString(System.Globalization.CultureInfo.InvariantCulture),
        IReadOnlyDictionary<string, string> entries => "{ " + string.Join(", ", entries.Select(entry => $"{Quoted(entry.Key)}: {Quoted(entry.Value)}")) + " }",
        _ => throw new ArgumentException($"no Bicep literal for {value.GetType()}", nameof(value)),
    };

    private static string Quoted(string text) =>
        "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "'";

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
