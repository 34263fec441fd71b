using System.Text.Json;

namespace WalletPasses.Hosting;

/// <summary>
/// Reads the <c>Values</c> of an Azure Functions <c>local.settings.json</c>, so one settings file serves
/// both the Functions host (which turns them into environment variables) and a standalone run.
/// </summary>
public static class LocalSettings
{
    public const string FileName = "local.settings.json";

    /// <summary>
    /// Names the file to read (<c>./run.sh</c> sets it). Unset, none is read: a production instance started from a
    /// developer's checkout must not pick up its development settings (and environment) from the working directory.
    /// </summary>
    public const string PathVariable = "WALLETPASSES_LOCAL_SETTINGS";

    public static IReadOnlyDictionary<string, string?> Load()
    {
        var path = Environment.GetEnvironmentVariable(PathVariable);
        if (string.IsNullOrWhiteSpace(path))
        {
            return new Dictionary<string, string?>();
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{PathVariable} names {path}, which does not exist: create it (./run.sh copies local.settings.example.json) or unset the variable.", path);
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (document.RootElement.TryGetProperty("Values", out var section) && section.ValueKind == JsonValueKind.Object)
        {
            foreach (var setting in section.EnumerateObject())
            {
                // The Functions convention uses "__" as the section separator, like environment variables.
                var key = setting.Name.Replace("__", ":", StringComparison.Ordinal);
                values[key] = setting.Value.ValueKind == JsonValueKind.String ? setting.Value.GetString() : setting.Value.GetRawText();
            }
        }

        return values;
    }

    /// <summary>
    /// The environment name the settings file asks for, unless the process environment already names one
    /// (then the usual host resolution applies, command-line included).
    /// </summary>
    public static string? EnvironmentNameOverride(IReadOnlyDictionary<string, string?> localValues)
    {
        string[] names = ["ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "AZURE_FUNCTIONS_ENVIRONMENT"];
        if (names.Any(name => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(name))))
        {
            var functionsEnvironment = Environment.GetEnvironmentVariable("AZURE_FUNCTIONS_ENVIRONMENT");
            return string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT"))
                && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT"))
                ? functionsEnvironment
                : null;
        }

        return names.Select(name => localValues.TryGetValue(name, out var value) ? value : null).FirstOrDefault(value => !string.IsNullOrWhiteSpace(value));
    }
}
