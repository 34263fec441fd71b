using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace WalletPasses.OpenApi;

/// <summary>
/// Which properties of an object schema are required and which may be null, by the direction the type travels in.
/// The generator calls every constructor parameter without a default required, whatever its nullability.
/// Answers are written without their null properties (<c>WhenWritingNull</c>), so a nullable property of an answer
/// may be absent: not required. Request bodies (<see cref="ApiOperation.Body"/> and the types inside them) are read
/// with every property nullable so that validation names what is missing: a required one must carry a value (not
/// null), an optional one may be null, which the server reads as absent.
/// </summary>
public sealed class PropertyPresence : IOpenApiSchemaTransformer
{
    private HashSet<Type>? _requestTypes;

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo;
        if (type.Kind != JsonTypeInfoKind.Object || schema.Properties is null)
        {
            return Task.CompletedTask;
        }

        var read = (_requestTypes ??= RequestTypes(type.Options)).Contains(type.Type);
        foreach (var property in type.Properties)
        {
            if (!schema.Properties.TryGetValue(property.Name, out var propertySchema))
            {
                continue;
            }

            var required = schema.Required?.Contains(property.Name) == true;
            if (!read && required && property.IsGetNullable)
            {
                schema.Required!.Remove(property.Name);
            }
            else if (read && property.IsSetNullable)
            {
                schema.Properties[property.Name] = required ? WithoutNull(propertySchema) : WithNull(propertySchema);
            }
        }

        return Task.CompletedTask;
    }

    private static IOpenApiSchema WithNull(IOpenApiSchema schema)
    {
        switch (schema)
        {
            case OpenApiSchema { Type: { } type } inline:
                inline.Type = type | JsonSchemaType.Null;
                return inline;
            case OpenApiSchema { OneOf: { } oneOf } when oneOf.Any(IsNull):
                return schema;
            default:
                return new OpenApiSchema { OneOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, schema] };
        }
    }

    private static IOpenApiSchema WithoutNull(IOpenApiSchema schema)
    {
        switch (schema)
        {
            case OpenApiSchema { Type: { } type } inline:
                inline.Type = type & ~JsonSchemaType.Null;
                return inline;
            case OpenApiSchema { OneOf: { } oneOf } inline when oneOf.Any(IsNull):
                var rest = oneOf.Where(option => !IsNull(option)).ToList();
                return rest.Count == 1 ? rest[0] : new OpenApiSchema { OneOf = rest };
            default:
                return schema;
        }
    }

    private static bool IsNull(IOpenApiSchema schema) => schema is OpenApiSchema { Type: JsonSchemaType.Null };

    /// <summary>The catalog's request bodies and every type reachable through their properties and items.</summary>
    private static HashSet<Type> RequestTypes(JsonSerializerOptions options)
    {
        var found = new HashSet<Type>();
        var pending = new Stack<Type>(ApiOperationCatalog.All.Select(operation => operation.Body).OfType<Type>());
        while (pending.TryPop(out var next))
        {
            var type = Nullable.GetUnderlyingType(next) ?? next;
            if (!found.Add(type))
            {
                continue;
            }

            var info = options.GetTypeInfo(type);
            foreach (var inner in info.Properties.Select(property => property.PropertyType).Append(info.ElementType).OfType<Type>())
            {
                pending.Push(inner);
            }
        }

        return found;
    }
}
