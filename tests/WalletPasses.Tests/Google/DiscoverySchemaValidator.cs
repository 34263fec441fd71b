using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WalletPasses.Tests.Google;

/// <summary>One way a JSON body departs from a discovery schema; <paramref name="Path"/> is like <c>$.messages[0].messageType</c>.</summary>
public sealed record SchemaError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>
/// Checks JSON bodies against the schemas of a Google API discovery document: unknown properties, JSON types
/// (int64/uint64 are strings holding integers in the discovery format), enum values (deprecated aliases
/// included), through <c>$ref</c>, arrays and <c>additionalProperties</c>. So tests catch what Google would reject
/// without calling Google.
/// </summary>
public sealed class DiscoverySchemaValidator
{
    private const string WalletObjectsDiscoveryFile = "walletobjects.v1.discovery.json";

    private const string WalletObjectsAdditionsFile = "walletobjects.v1.additions.json";

    private static readonly Lazy<DiscoverySchemaValidator> WalletObjectsInstance =
        new(() => FromDiscoveryJson(WithAdditions(
            File.ReadAllText(GoogleReferenceFiles.Path(WalletObjectsDiscoveryFile)),
            File.ReadAllText(GoogleReferenceFiles.Path(WalletObjectsAdditionsFile)))));

    private readonly JsonElement _schemas;

    private DiscoverySchemaValidator(JsonElement schemas) => _schemas = schemas;

    /// <summary>The Wallet API's discovery document from <c>Google/TestData/</c>.</summary>
    public static DiscoverySchemaValidator WalletObjects => WalletObjectsInstance.Value;

    public static DiscoverySchemaValidator FromDiscoveryJson(string discoveryJson)
    {
        using var document = JsonDocument.Parse(discoveryJson);
        return new DiscoverySchemaValidator(document.RootElement.GetProperty("schemas").Clone());
    }

    /// <summary>
    /// The discovery document with the schemas and properties of <paramref name="additionsJson"/> merged in: fields
    /// Google documented after the vendored revision (see TestData/README.md), so the fake knows them as Google does today.
    /// </summary>
    public static string WithAdditions(string discoveryJson, string additionsJson)
    {
        var discovery = JsonNode.Parse(discoveryJson)!.AsObject();
        var schemas = discovery["schemas"]!.AsObject();
        foreach (var (name, addition) in JsonNode.Parse(additionsJson)!["schemas"]!.AsObject())
        {
            if (schemas[name] is not JsonObject existing)
            {
                schemas[name] = addition!.DeepClone();
                continue;
            }

            var properties = existing["properties"]!.AsObject();
            foreach (var (property, definition) in addition!["properties"]!.AsObject())
            {
                properties[property] = definition!.DeepClone();
            }
        }

        return discovery.ToJsonString();
    }

    public IReadOnlyList<SchemaError> Validate(string schemaName, string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException exception)
        {
            return [new SchemaError("$", "not JSON: " + exception.Message)];
        }

        using (document)
        {
            return Validate(schemaName, document.RootElement);
        }
    }

    public IReadOnlyList<SchemaError> Validate(string schemaName, JsonElement value)
    {
        var errors = new List<SchemaError>();
        ValidateAgainst(ResolveReference(schemaName), value, "$", errors);
        return errors;
    }

    private JsonElement ResolveReference(string schemaName) =>
        _schemas.TryGetProperty(schemaName, out var schema)
            ? schema
            : throw new ArgumentException($"The discovery document has no schema '{schemaName}'.", nameof(schemaName));

    private void ValidateAgainst(JsonElement schema, JsonElement value, string path, List<SchemaError> errors)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            ValidateAgainst(ResolveReference(reference.GetString()!), value, path, errors);
            return;
        }

        // Google treats an explicit null as "not set".
        if (value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        var type = schema.TryGetProperty("type", out var typeElement) ? typeElement.GetString() : null;
        var format = schema.TryGetProperty("format", out var formatElement) ? formatElement.GetString() : null;
        switch (type)
        {
            case "string":
                ValidateString(schema, format, value, path, errors);
                break;
            case "integer":
                ValidateInteger(format, value, path, errors);
                break;
            case "number":
                ExpectKind(value, JsonValueKind.Number, "a number", path, errors);
                break;
            case "boolean":
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    errors.Add(new SchemaError(path, $"expected a boolean, got {Describe(value)}"));
                }

                break;
            case "array":
                if (ExpectKind(value, JsonValueKind.Array, "an array", path, errors))
                {
                    var index = 0;
                    foreach (var item in value.EnumerateArray())
                    {
                        ValidateAgainst(schema.GetProperty("items"), item, $"{path}[{index++}]", errors);
                    }
                }

                break;
            case "object":
                if (ExpectKind(value, JsonValueKind.Object, "an object", path, errors))
                {
                    ValidateObject(schema, value, path, errors);
                }

                break;
            case "any":
                break;
            default:
                throw new InvalidOperationException($"Unsupported discovery type '{type}' at {path}.");
        }
    }

    private void ValidateObject(JsonElement schema, JsonElement value, string path, List<SchemaError> errors)
    {
        var hasProperties = schema.TryGetProperty("properties", out var properties);
        var hasAdditionalProperties = schema.TryGetProperty("additionalProperties", out var additionalProperties);
        foreach (var property in value.EnumerateObject())
        {
            var propertyPath = path + "." + property.Name;
            if (hasProperties && properties.TryGetProperty(property.Name, out var propertySchema))
            {
                ValidateAgainst(propertySchema, property.Value, propertyPath, errors);
            }
            else if (hasAdditionalProperties)
            {
                ValidateAgainst(additionalProperties, property.Value, propertyPath, errors);
            }
            else
            {
                errors.Add(new SchemaError(propertyPath, "unknown property"));
            }
        }
    }

    private static void ValidateString(JsonElement schema, string? format, JsonElement value, string path, List<SchemaError> errors)
    {
        if (!ExpectKind(value, JsonValueKind.String, "a string", path, errors))
        {
            return;
        }

        var text = value.GetString()!;
        var isInteger = format switch
        {
            "int64" => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            "uint64" => ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _),
            _ => true,
        };
        if (!isInteger)
        {
            errors.Add(new SchemaError(path, $"expected a string holding an {format} integer, got \"{text}\""));
        }

        if (schema.TryGetProperty("enum", out var allowedValues))
        {
            ValidateEnum(schema, allowedValues, text, path, errors);
        }
    }

    private static void ValidateEnum(JsonElement schema, JsonElement allowedValues, string text, string path, List<SchemaError> errors)
    {
        var index = 0;
        foreach (var allowed in allowedValues.EnumerateArray())
        {
            if (allowed.GetString() == text)
            {
                // The camelCase aliases are deprecated: flag them so only the UPPER_SNAKE values are sent.
                if (schema.TryGetProperty("enumDeprecated", out var deprecated) && deprecated[index].GetBoolean())
                {
                    errors.Add(new SchemaError(path, $"deprecated enum value \"{text}\""));
                }

                return;
            }

            index++;
        }

        errors.Add(new SchemaError(path, $"\"{text}\" is not one of {string.Join(", ", allowedValues.EnumerateArray())}"));
    }

    private static void ValidateInteger(string? format, JsonElement value, string path, List<SchemaError> errors)
    {
        if (!ExpectKind(value, JsonValueKind.Number, "an integer", path, errors))
        {
            return;
        }

        var inRange = format switch
        {
            "int32" => value.TryGetInt32(out _),
            "uint32" => value.TryGetUInt32(out _),
            _ => value.TryGetInt64(out _),
        };
        if (!inRange)
        {
            errors.Add(new SchemaError(path, $"expected an integer ({format ?? "int64"}), got {value.GetRawText()}"));
        }
    }

    private static bool ExpectKind(JsonElement value, JsonValueKind kind, string expected, string path, List<SchemaError> errors)
    {
        if (value.ValueKind == kind)
        {
            return true;
        }

        errors.Add(new SchemaError(path, $"expected {expected}, got {Describe(value)}"));
        return false;
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{value.GetString()}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => value.ValueKind.ToString(),
    };
}
