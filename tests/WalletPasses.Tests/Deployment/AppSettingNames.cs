using System.Collections;
using System.Reflection;
using System.Text.Json;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Deployment;

/// <summary>
/// The setting names the app reads, in their environment form (<c>WalletPasses__Apple__CertificateFile</c>):
/// every name in local.settings.example.json, and every property of an options class (a type with a
/// <c>Section</c> constant) bound from its section. Derived, not listed, so settings others add are followed.
/// </summary>
public static class AppSettingNames
{
    /// <summary>
    /// Settings read by the Functions host rather than the app. Identity-based host storage
    /// (learn.microsoft.com/azure/azure-functions/functions-reference#connecting-to-host-storage-with-an-identity:
    /// <c>__accountName</c>, <c>__credential</c>, <c>__clientId</c>, the service URIs; the app reads the same
    /// ones, Storage/StorageClients.cs) and Application Insights
    /// (learn.microsoft.com/azure/azure-functions/functions-app-settings#applicationinsights_connection_string,
    /// #applicationinsights_authentication_string).
    /// </summary>
    public static readonly IReadOnlySet<string> HostSettings = new HashSet<string>(StringComparer.Ordinal)
    {
        "AzureWebJobsStorage__accountName", "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId",
        "AzureWebJobsStorage__blobServiceUri", "AzureWebJobsStorage__queueServiceUri", "AzureWebJobsStorage__tableServiceUri",
        "APPLICATIONINSIGHTS_CONNECTION_STRING", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
    };

    /// <summary>local.settings.example.json's <c>Values</c>.</summary>
    public static IReadOnlyDictionary<string, string> Example() =>
        JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Combine("local.settings.example.json"))).RootElement
            .GetProperty("Values").EnumerateObject()
            .ToDictionary(setting => setting.Name, setting => setting.Value.GetString() ?? "", StringComparer.Ordinal);

    /// <summary>Whether the app (or, for <see cref="HostSettings"/>, the host) reads a setting of this name.</summary>
    public static bool IsRead(string name) =>
        HostSettings.Contains(name) || Exact.Contains(name) || CollectionPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal) && name.Length > prefix.Length);

    private static readonly HashSet<string> Exact = new(Example().Keys.Concat(OptionsNames().Where(name => !name.EndsWith("__", StringComparison.Ordinal))), StringComparer.Ordinal);

    /// <summary>Dictionary and list sections (<c>WalletPasses__ApiKeys__Backend__</c>, <c>…__Origins__</c>): any key or index below them.</summary>
    private static readonly string[] CollectionPrefixes =
    [
        .. OptionsNames().Where(name => name.EndsWith("__", StringComparison.Ordinal)),
        .. Example().Keys.Where(name => name.Split("__")[^1].All(char.IsAsciiDigit)).Select(name => name[..(name.LastIndexOf("__", StringComparison.Ordinal) + 2)]),
    ];

    /// <summary>
    /// Every setting an options class binds: a scalar's full name, or a dictionary's or list's prefix ending in <c>__</c>.
    /// </summary>
    public static IEnumerable<string> OptionsNames() =>
        typeof(WalletPassesOptions).Assembly.GetTypes()
            .Select(type => (type, section: type.GetField("Section", BindingFlags.Public | BindingFlags.Static)))
            .Where(pair => pair.section is { IsLiteral: true } && pair.section.FieldType == typeof(string))
            .SelectMany(pair => PropertyNames(pair.type, ((string)pair.section!.GetRawConstantValue()!).Replace(":", "__", StringComparison.Ordinal), depth: 0));

    private static IEnumerable<string> PropertyNames(Type type, string prefix, int depth)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            var name = $"{prefix}__{property.Name}";
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (IsScalar(propertyType))
            {
                if (property.CanWrite)
                {
                    yield return name;
                }
            }
            else if (typeof(IEnumerable).IsAssignableFrom(propertyType))
            {
                yield return name + "__";
            }
            else if (property.CanWrite && depth < 3 && propertyType.IsClass)
            {
                foreach (var nested in PropertyNames(propertyType, name, depth + 1))
                {
                    yield return nested;
                }
            }
        }
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
        || type == typeof(DateTimeOffset) || type == typeof(Uri);
}
