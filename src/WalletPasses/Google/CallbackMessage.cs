using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace WalletPasses.Google;

/// <summary>
/// The signed message of a callback, with the fields Google documents
/// (https://developers.google.com/wallet/retail/loyalty-cards/use-cases/use-callbacks-for-saves-and-deletions):
/// <c>classId</c>, <c>objectId</c>, <c>expTimeMillis</c>, <c>eventType</c>, <c>nonce</c>. Anything else Google adds
/// (real callbacks also carry <c>count</c>) is ignored, so a message without it is still accepted.
/// </summary>
/// <param name="EventType"><c>save</c> or <c>del</c>.</param>
/// <param name="ExpTimeMillis">Expiry, milliseconds since the Unix epoch.</param>
/// <param name="Nonce">Unique per callback: store it and drop repeats.</param>
public sealed record CallbackMessage(string ClassId, string ObjectId, string EventType, long ExpTimeMillis, string Nonce)
{
    public const string SaveEventType = "save";
    public const string DeleteEventType = "del";

    internal static bool TryParse(string signedMessage, [NotNullWhen(true)] out CallbackMessage? message)
    {
        message = null;
        try
        {
            var fields = JsonSerializer.Deserialize<MessageFields>(signedMessage, GoogleWalletJson.Options);
            if (fields is
                {
                    ClassId: { } classId, ObjectId: { } objectId, EventType: { } eventType,
                    ExpTimeMillis: { } expTimeMillis, Nonce: { } nonce,
                })
            {
                message = new CallbackMessage(classId, objectId, eventType, expTimeMillis, nonce);
            }
        }
        catch (JsonException)
        {
            // Not the expected JSON: left null.
        }

        return message is not null;
    }

    private sealed record MessageFields(string? ClassId, string? ObjectId, string? EventType, long? ExpTimeMillis, string? Nonce);
}
