using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace WalletPasses.Http;

/// <summary>
/// Reads a JSON request body with a size limit and turns every way it can be wrong into a 4xx problem
/// (413 too large, 415 not JSON, 400 empty, malformed or wrongly typed) instead of an exception.
/// </summary>
public static class JsonBody
{
    public const int DefaultLimitBytes = 64 * 1024;

    public static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        Converters = { new OffsetDateTimeConverter() },
    };

    public static async Task<BodyResult<T>> ReadAsync<T>(HttpRequest request, int limitBytes, CancellationToken cancellationToken)
    {
        // Size first: a body over the limit is 413 whatever it claims to be.
        var body = await ReadBytesAsync(request, limitBytes, cancellationToken);
        return body.Problem is { } problem ? problem : Parse<T>(request, body.Raw);
    }

    /// <summary>
    /// Parses a body already read with <see cref="ReadBytesAsync"/> (after a check of its bytes, such as a signature):
    /// 415 when it is not JSON, 400 when malformed, wrongly typed or null.
    /// </summary>
    public static BodyResult<T> Parse<T>(HttpRequest request, ReadOnlyMemory<byte> raw)
    {
        if (request.ContentType is { } contentType && !IsJson(contentType))
        {
            return new ProblemResponse(TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type",
                detail: "Send the body as application/json."));
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(raw.Span, SerializerOptions);
            return value is null ? BadRequest("The JSON body must not be null.") : new BodyResult<T>(value, null) { Raw = raw };
        }
        catch (JsonException exception)
        {
            // The serializer's own message names CLR types; say which field is wrong in the API's terms.
            var where = string.IsNullOrEmpty(exception.Path) || exception.Path == "$" ? "The body" : $"The field '{exception.Path.TrimStart('$', '.')}'";
            return BadRequest(exception.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? $"The body contains a property this API does not know ({exception.Path})."
                : IsMissingOffset(exception) ? $"{where}: {OffsetDateTimeConverter.MissingOffset}"
                : $"{where} is not valid JSON of the expected shape (wrong type, malformed or out of range).");
        }
    }

    /// <summary>
    /// The body's bytes as received (<see cref="BodyResult{T}.Raw"/>), whatever its content type: 413 over the limit,
    /// 400 when empty. For bodies checked byte for byte (signatures) before they are parsed.
    /// </summary>
    public static async Task<BodyResult<ReadOnlyMemory<byte>>> ReadBytesAsync(HttpRequest request, int limitBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limitBytes)
        {
            return TooLarge(limitBytes);
        }

        var buffer = new ArrayBufferWriter<byte>();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.WrittenCount + read > limitBytes)
                {
                    return TooLarge(limitBytes);
                }

                buffer.Write(chunk.AsSpan(0, read));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.WrittenCount == 0
            ? BadRequest("A JSON body is required.")
            : new BodyResult<ReadOnlyMemory<byte>>(buffer.WrittenMemory, null) { Raw = buffer.WrittenMemory };
    }

    /// <summary>Whether the serializer refused a date-time without its UTC offset (<see cref="OffsetDateTimeConverter"/>).</summary>
    public static bool IsMissingOffset(JsonException exception) =>
        exception.Message.StartsWith(OffsetDateTimeConverter.MissingOffset, StringComparison.Ordinal);

    public static bool IsJson(string? contentType) =>
        contentType is not null
        && (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) || contentType.Contains("+json", StringComparison.OrdinalIgnoreCase));

    private static ProblemResponse TooLarge(int limitBytes) => new(TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Request body too large",
        detail: $"The body may be at most {limitBytes} bytes."));

    private static ProblemResponse BadRequest(string detail) => new(TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest, title: "Invalid request body", detail: detail));
}
