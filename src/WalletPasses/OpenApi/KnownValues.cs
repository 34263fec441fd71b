using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using WalletPasses.Backend;
using WalletPasses.Events;
using WalletPasses.Notifications;

namespace WalletPasses.OpenApi;

/// <summary>
/// The closed sets of values a string property takes, as <c>enum</c>s of its schema, so that a generated client offers
/// them rather than any string: an event's <c>type</c> (anything else is a 400) and a member's <c>notifications</c> as
/// answered. Tiers are not here: each program's template names its own.
/// </summary>
public sealed class KnownValues : IOpenApiSchemaTransformer
{
    private static readonly Dictionary<(Type Type, string Property), string[]> Values = new()
    {
        [(typeof(LoyaltyEventInput), "type")] = LoyaltyEventTypes.All,
        [(typeof(MemberDocument), "notifications")] = NotificationPreferences.Values,
    };

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var ((type, property), values) in Values)
        {
            if (context.JsonTypeInfo.Type == type && schema.Properties is { } properties && properties.TryGetValue(property, out var found) && found is OpenApiSchema propertySchema)
            {
                propertySchema.Enum = [.. values.Select(value => (JsonNode)JsonValue.Create(value))];
            }
        }

        return Task.CompletedTask;
    }
}
