using System.Text.Json;
using System.Text.Json.Serialization;

namespace WalletPasses.Http;

/// <summary>
/// Reads a request's date-times (an event's <c>occurredAt</c>, an offer's <c>expiresAt</c>, a pop-up's <c>opensAt</c>
/// and <c>closesAt</c>) only with a UTC offset (<c>Z</c> or <c>+01:00</c>), as RFC 3339 section 5.6 requires of a
/// date-time. The serializer's own reading takes a value without one (<c>2026-12-24T00:00:00</c>, or a date alone) as
/// the server's local time, so the same request would mean another instant on an instance whose <c>TZ</c> (or
/// <c>WEBSITE_TIME_ZONE</c>) differs: an offer would expire, a pop-up open, hours apart depending on which instance
/// took it. Writing is unchanged (always with the offset).
/// </summary>
public sealed class OffsetDateTimeConverter : JsonConverter<DateTimeOffset>
{
    public const string MissingOffset =
        "A date-time must carry its UTC offset, as in '2026-12-24T00:00:00Z' or '2026-12-24T00:00:00+01:00' (RFC 3339); without one it would be read in the server's time zone.";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var value))
        {
            throw new JsonException(); // the serializer's own message for a malformed value, with its path
        }

        // Read as a DateTime, a value with an offset (or Z) comes back Local or Utc; one without stays Unspecified.
        // A value with an offset may not fit a DateTime once converted (year 1 or 9999): it had an offset all the same.
        if (reader.TryGetDateTime(out var local) && local.Kind == DateTimeKind.Unspecified)
        {
            throw new JsonException(MissingOffset);
        }

        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
