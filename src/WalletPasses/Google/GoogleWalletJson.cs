using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace WalletPasses.Google;

// The DTO files of this folder (LoyaltyClass, LoyaltyObject, Message, Image, LocalizedString, GoogleErrorResponse)
// are the subset of the walletobjects v1 schemas (discovery revision 20241114) a loyalty program needs.
// Property names follow the discovery document through the camelCase policy here; every property is optional
// so the same records serve as insert, update and patch bodies (a patch sends only what is set; an array in a
// patch replaces the whole array).

/// <summary>The JSON settings Google's REST API expects: camelCase names, nulls left out.</summary>
public static class GoogleWalletJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>
    /// Whether a stored resource already has every field <paramref name="wanted"/> sets. Fields Google adds
    /// (hasUsers, kind, version, ...) do not count; a value Google normalised differently just means one more write.
    /// </summary>
    public static bool HasAllFieldsOf<T>(T existing, T wanted)
    {
        var stored = JsonSerializer.SerializeToNode(existing, Options)!.AsObject();
        var fields = JsonSerializer.SerializeToNode(wanted, Options)!.AsObject();
        return fields.All(field => JsonNode.DeepEquals(field.Value, stored[field.Key]));
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
