using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace WalletPasses.Hosting;

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
    };

    public static async Task<BodyResult<T>> ReadAsync<T>(HttpRequest request, int limitBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limitBytes)
        {
            return TooLarge(limitBytes);
        }

        if (request.ContentType is { } contentType && !IsJson(contentType))
        {
            return new ProblemResponse(TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type",
                detail: "Send the body as application/json."));
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

        if (buffer.WrittenCount == 0)
        {
            return BadRequest("A JSON body is required.");
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.WrittenSpan, SerializerOptions);
            return value is null ? BadRequest("The JSON body must not be null.") : new BodyResult<T>(value, null) { Raw = buffer.WrittenMemory };
        }
        catch (JsonException exception)
        {
            // The serializer's own message names CLR types; say which field is wrong in the API's terms.
            var where = string.IsNullOrEmpty(exception.Path) || exception.Path == "$" ? "The body" : $"The field '{exception.Path.TrimStart('$', '.')}'";
            return BadRequest(exception.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? $"The body contains a property this API does not know ({exception.Path})."
                : $"{where} is not valid JSON of the expected shape (wrong type, malformed or out of range).");
        }
    }

    private static bool IsJson(string contentType) =>
        contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
        || contentType.Contains("+json", StringComparison.OrdinalIgnoreCase);

    private static ProblemResponse TooLarge(int limitBytes) => new(TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Request body too large",
        detail: $"The body may be at most {limitBytes} bytes."));

    private static ProblemResponse BadRequest(string detail) => new(TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest, title: "Invalid request body", detail: detail));
}

/// <summary>A problem answer to a body that could not be read.</summary>
public sealed record ProblemResponse(ProblemHttpResult Result);

/// <summary>Either the parsed body or the problem to answer with.</summary>
public readonly record struct BodyResult<T>(T? Value, ProblemResponse? Problem)
{
    /// <summary>The body exactly as received (for signature checks).</summary>
    public ReadOnlyMemory<byte> Raw { get; init; }

    public static implicit operator BodyResult<T>(ProblemResponse problem) => new(default, problem);
}
