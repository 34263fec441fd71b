using System.Text.Json;

namespace WalletPasses.Tests.OpenApi;

/// <summary>
/// The served OpenAPI document read as JSON, with <c>$ref</c>s into <c>#/components/schemas</c> followed
/// (OpenAPI 3.1 Schema Object, spec.openapis.org/oas/v3.1.1#schema-object).
/// </summary>
public sealed class OpenApiDocument(JsonElement root)
{
    public const string Route = "/api/openapi/v1.json";

    public JsonElement Root => root;

    /// <summary>Each operation as "METHOD route", route relative to the <c>api</c> prefix (as the route constants are).</summary>
    public IReadOnlyList<string> Operations() =>
    [
        .. root.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(item => item.Name is "get" or "put" or "post" or "delete" or "head" or "patch" or "options")
                .Select(item => $"{item.Name.ToUpperInvariant()} {path.Name.TrimStart('/')["api/".Length..]}"))
            .Order(StringComparer.Ordinal),
    ];

    /// <summary><see cref="Operations"/> split into method and route.</summary>
    public IReadOnlyList<(string Method, string Route)> MethodsAndRoutes() =>
        [.. Operations().Select(operation => (operation[..operation.IndexOf(' ', StringComparison.Ordinal)], operation[(operation.IndexOf(' ', StringComparison.Ordinal) + 1)..]))];

    public JsonElement Operation(string method, string route) =>
        root.GetProperty("paths").GetProperty("/api/" + route).GetProperty(method.ToLowerInvariant());

    /// <summary>The schema itself, following a <c>$ref</c> to the components.</summary>
    public JsonElement Resolve(JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference)
            ? root.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!["#/components/schemas/".Length..])
            : schema;

    public JsonElement RequestSchema(string method, string route) =>
        Resolve(Operation(method, route).GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema"));

    public JsonElement ResponseSchema(string method, string route, int status, string contentType = "application/json") =>
        Resolve(Operation(method, route).GetProperty("responses").GetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .GetProperty("content").GetProperty(contentType).GetProperty("schema"));

    public static IReadOnlyList<string> PropertyNames(JsonElement schema) =>
        [.. schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    public static IReadOnlyList<string> Required(JsonElement schema) =>
        schema.TryGetProperty("required", out var required) ? [.. required.EnumerateArray().Select(name => name.GetString()!).Order(StringComparer.Ordinal)] : [];

    /// <summary>Whether a property's schema admits null: <c>"type"</c> naming null, or a <c>oneOf</c> alternative that is null.</summary>
    public static bool AllowsNull(JsonElement schema) =>
        (schema.TryGetProperty("type", out var type) && (type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Any(t => t.GetString() == "null") : type.GetString() == "null"))
        || (schema.TryGetProperty("oneOf", out var oneOf) && oneOf.EnumerateArray().Any(AllowsNull));

    /// <summary>Every object schema of the document: the components and the schemas inline in their properties and items.</summary>
    public IEnumerable<(string Name, JsonElement Schema)> ObjectSchemas()
    {
        var pending = new Stack<(string, JsonElement)>(root.GetProperty("components").GetProperty("schemas").EnumerateObject().Select(schema => (schema.Name, schema.Value)));
        while (pending.TryPop(out var next))
        {
            var (name, schema) = next;
            if (schema.TryGetProperty("items", out var items))
            {
                pending.Push((name + "[]", items));
            }

            if (schema.TryGetProperty("properties", out var properties))
            {
                yield return next;
                foreach (var property in properties.EnumerateObject())
                {
                    pending.Push((name + "." + property.Name, property.Value));
                }
            }
        }
    }
}
