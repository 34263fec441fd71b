using System.Globalization;
using System.Text.Json.Serialization;

namespace WalletPasses.Google;

/// <summary>Schema <c>Message</c>.</summary>
public sealed record Message
{
    public string? Id { get; init; }
    public string? Header { get; init; }
    public string? Body { get; init; }
    /// <summary><c>TEXT_AND_NOTIFY</c> notifies the holder; Google allows 3 notifications per pass per 24 hours.</summary>
    public MessageType? MessageType { get; init; }
    public TimeInterval? DisplayInterval { get; init; }
}

/// <summary>Schema <c>TimeInterval</c>.</summary>
public sealed record TimeInterval
{
    public WalletDateTime? Start { get; init; }
    public WalletDateTime? End { get; init; }
}

/// <summary>Schema <c>DateTime</c>: <paramref name="Date"/> is ISO 8601 extended, for example <c>2026-11-23T10:00:00Z</c>.</summary>
public sealed record WalletDateTime(string Date)
{
    public static WalletDateTime From(DateTimeOffset instant) =>
        new(instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
}

/// <summary>Schema <c>AddMessageRequest</c>.</summary>
public sealed record AddMessageRequest(Message Message);

/// <summary>Schema <c>LoyaltyObjectAddMessageResponse</c>.</summary>
internal sealed record LoyaltyObjectAddMessageResponse(LoyaltyObject Resource);

[JsonConverter(typeof(JsonStringEnumConverter<MessageType>))]
public enum MessageType
{
    [JsonStringEnumMemberName("MESSAGE_TYPE_UNSPECIFIED")] Unspecified,
    [JsonStringEnumMemberName("TEXT")] Text,
    [JsonStringEnumMemberName("EXPIRATION_NOTIFICATION")] ExpirationNotification,
    [JsonStringEnumMemberName("TEXT_AND_NOTIFY")] TextAndNotify,
}
