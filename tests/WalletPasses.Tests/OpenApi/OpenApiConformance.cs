using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace WalletPasses.Tests.OpenApi;

/// <summary>
/// Checks an answer of the app against the served OpenAPI document as a client generated from it reads the answer:
/// the status is one the operation declares (OpenAPI 3.1.1 Responses Object, spec.openapis.org/oas/v3.1.1#responses-object:
/// a code, or its range such as <c>4XX</c>, or <c>default</c>); the answer's media type is a key of that response's
/// <c>content</c> (#response-object); and a JSON body validates against the declared schema, which in OpenAPI 3.1 is
/// JSON Schema 2020-12 (#schema-object), evaluated by JsonSchema.Net. On top of the schema as written, an object
/// schema that lists its <c>properties</c> and says nothing of others is taken as closed: a property the app answers
/// that the document does not name is drift too (a generated client drops it).
/// </summary>
public sealed class OpenApiConformance(JsonElement root)
{
    private const string Draft202012 = "https://json-schema.org/draft/2020-12/schema";
    private const string ComponentPrefix = "#/components/schemas/";

    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);
    private readonly JsonObject _definitions = Definitions(root);

    /// <summary>Every way the answer differs from what the document declares for <paramref name="method"/> <paramref name="route"/> (relative to <c>api/</c>).</summary>
    public IReadOnlyList<string> Check(string method, string route, int status, string? mediaType, string body)
    {
        var where = $"{method} {route} → {status}";
        if (!root.GetProperty("paths").TryGetProperty("/api/" + route, out var path) || !path.TryGetProperty(method.ToLowerInvariant(), out var operation))
        {
            return [$"{where}: the document has no such operation"];
        }

        var responses = operation.GetProperty("responses");
        var code = status.ToString(CultureInfo.InvariantCulture);
        if (!responses.TryGetProperty(code, out var response)
            && !responses.TryGetProperty(code[0] + "XX", out response)
            && !responses.TryGetProperty("default", out response))
        {
            return [$"{where}: status not declared (declared: {string.Join(", ", responses.EnumerateObject().Select(r => r.Name))})"];
        }

        if (body.Length == 0)
        {
            return []; // HEAD, 204, 304, a redirect: nothing for a client to read
        }

        if (mediaType is null || !response.TryGetProperty("content", out var content) || !content.TryGetProperty(mediaType, out var media))
        {
            var declared = response.TryGetProperty("content", out var any) ? string.Join(", ", any.EnumerateObject().Select(c => c.Name)) : "none";
            return [$"{where}: content type {mediaType ?? "(none)"} not declared (declared: {declared})"];
        }

        if (!IsJson(mediaType) || !media.TryGetProperty("schema", out var schema))
        {
            return [];
        }

        JsonElement instance;
        try
        {
            instance = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException exception)
        {
            return [$"{where}: the {mediaType} body is not JSON ({exception.Message})"];
        }

        var results = SchemaFor(schema).Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return results.IsValid
            ? []
            : [.. (results.Details ?? []).Where(detail => detail.Errors is { Count: > 0 })
                .SelectMany(detail => detail.Errors!.Select(error => $"{where} {mediaType} at '{detail.InstanceLocation}' ({detail.EvaluationPath}): {error.Value}"))
                .DefaultIfEmpty($"{where}: the {mediaType} body does not match its schema: {body}")];
    }

    /// <summary>
    /// The headers of <paramref name="answered"/> that the declared response of <paramref name="status"/> does not list
    /// (OpenAPI 3.1.1 Response Object <c>headers</c>), as drift; only the ones a client is to act on are asked about.
    /// </summary>
    public IReadOnlyList<string> CheckHeaders(string method, string route, int status, IEnumerable<string> answered)
    {
        var code = status.ToString(CultureInfo.InvariantCulture);
        var declared = root.GetProperty("paths").TryGetProperty("/api/" + route, out var path) && path.TryGetProperty(method.ToLowerInvariant(), out var operation)
            && operation.GetProperty("responses").TryGetProperty(code, out var response) && response.TryGetProperty("headers", out var headers)
            ? [.. headers.EnumerateObject().Select(header => header.Name)]
            : new List<string>();
        return [.. answered.Where(header => !declared.Contains(header, StringComparer.OrdinalIgnoreCase)).Select(header => $"{method} {route} → {status}: header {header} not declared")];
    }

    public static bool IsJson(string mediaType) => mediaType == "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal);

    /// <summary>A declared schema as a 2020-12 schema of its own: the components become its <c>$defs</c>.</summary>
    private JsonSchema SchemaFor(JsonElement declared) => _schemas.GetOrAdd(declared.GetRawText(), text =>
    {
        var schema = new JsonObject
        {
            ["$schema"] = Draft202012,
            ["$id"] = $"https://openapi.conformance.test/{Guid.NewGuid():N}",
            ["$defs"] = _definitions.DeepClone(),
            ["allOf"] = new JsonArray(Rewrite(JsonNode.Parse(text)!)),
        };
        return JsonSchema.FromText(schema.ToJsonString());
    });

    /// <summary>
    /// Each component twice: closed (<c>X</c>) and open (<c>X.open</c>). A schema combined with others by <c>allOf</c>
    /// (problem details and the extension members of an answer) is evaluated open, and the <c>allOf</c> holder is closed
    /// instead: in 2020-12, <c>unevaluatedProperties</c> there sees the properties every branch declared.
    /// </summary>
    private static JsonObject Definitions(JsonElement root)
    {
        var definitions = new JsonObject();
        foreach (var component in root.GetProperty("components").GetProperty("schemas").EnumerateObject())
        {
            definitions[component.Name] = Rewrite(JsonNode.Parse(component.Value.GetRawText())!, closed: true);
            definitions[component.Name + OpenSuffix] = Rewrite(JsonNode.Parse(component.Value.GetRawText())!, closed: false);
        }

        return definitions;
    }

    private const string OpenSuffix = ".open";

    /// <summary>References into the components point at <c>$defs</c>; object schemas that list their properties are closed, but for an <c>allOf</c> branch.</summary>
    private static JsonNode Rewrite(JsonNode node, bool closed = true)
    {
        if (node is not JsonObject schema)
        {
            return node;
        }

        foreach (var (name, value) in schema.ToList())
        {
            switch (name, value)
            {
                case ("$ref", JsonValue reference) when reference.GetValue<string>() is { } target && target.StartsWith(ComponentPrefix, StringComparison.Ordinal):
                    schema["$ref"] = "#/$defs/" + target[ComponentPrefix.Length..] + (closed ? "" : OpenSuffix);
                    break;
                case ("properties" or "$defs" or "patternProperties", JsonObject named):
                    foreach (var (_, inner) in named.ToList())
                    {
                        Rewrite(inner!);
                    }

                    break;
                case ("allOf", JsonArray branches):
                    foreach (var branch in branches.OfType<JsonNode>())
                    {
                        Rewrite(branch, closed: false);
                    }

                    break;
                case ("oneOf" or "anyOf" or "prefixItems", JsonArray alternatives):
                    foreach (var alternative in alternatives.OfType<JsonNode>())
                    {
                        Rewrite(alternative, closed);
                    }

                    break;
                case ("items" or "additionalProperties" or "not", JsonObject inner):
                    Rewrite(inner);
                    break;
            }
        }

        if (closed && (schema.ContainsKey("properties") || schema.ContainsKey("allOf")) && !schema.ContainsKey("additionalProperties") && !schema.ContainsKey("unevaluatedProperties"))
        {
            schema["unevaluatedProperties"] = false;
        }

        return schema;
    }
}
