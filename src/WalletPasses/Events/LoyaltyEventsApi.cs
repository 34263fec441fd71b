using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WalletPasses.Http;
using WalletPasses.Security;
using WalletPasses.Templates;

namespace WalletPasses.Events;

/// <summary>
/// <c>POST /api/loyalty-events</c>: one event or an array of up to 100, validated all-or-nothing, answered
/// 202 once every event is on the <c>loyalty-events</c> queue.
/// </summary>
public static class LoyaltyEventsApi
{
    public const int MaxEventsPerRequest = 100;
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>Optional request signing, the scheme of <see cref="RequestSignatures"/>.</summary>
    public const string SignatureHeader = RequestSignatures.Header;

    public const string EventsRoute = "loyalty-events";

    public static RouteGroupBuilder MapLoyaltyEventsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(EventsRoute).RequireAuthorization(ApiKeyAuthentication.BackendPolicy);
        api.MapPost("/", PostEvents);
        return api;
    }

    public static async Task<Results<Accepted<AcceptedEvents>, ValidationProblem, ProblemHttpResult>> PostEvents(
        HttpRequest request,
        ClaimsPrincipal user,
        IOptionsMonitor<ApiKeyOptions> keys,
        LoyaltyEventMessages queue,
        LoyaltyEventPrograms programs,
        IOptions<EventsOptions> signing,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        // The signature covers the bytes as sent, so it is checked before anything is read out of them: with signing on,
        // a request that is not signed is 401 whatever its body or content type (only an oversized body is 413 first,
        // since reading it is what the limit bounds).
        var raw = await JsonBody.ReadBytesAsync(request, MaxBodyBytes, cancellationToken);
        if (raw.Problem is { Result.StatusCode: StatusCodes.Status413PayloadTooLarge } tooLarge)
        {
            return tooLarge.Result;
        }

        if (signing.Value.SigningSecret is { Length: > 0 } secret && !RequestSignatures.Verify(request.Headers[SignatureHeader].ToString(), raw.Raw.Span, secret, signing.Value.SignatureTolerance, time.GetUtcNow()))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
        }

        var body = raw.Problem is { } problem ? problem : JsonBody.Parse<JsonElement>(request, raw.Raw);
        if (body.Problem is { } invalid)
        {
            return invalid.Result;
        }

        var elements = body.Value.ValueKind == JsonValueKind.Array ? body.Value.EnumerateArray().ToArray() : [body.Value];
        if (elements.Length is 0 or > MaxEventsPerRequest)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid request body", detail: $"Send one event or an array of 1 to {MaxEventsPerRequest} events.");
        }

        var errors = new Dictionary<string, string[]>();
        var retired = 0;
        var inputs = new List<LoyaltyEventInput>(elements.Length);
        for (var i = 0; i < elements.Length; i++)
        {
            var prefix = body.Value.ValueKind == JsonValueKind.Array ? $"[{i}]." : "";
            try
            {
                var input = elements[i].Deserialize<LoyaltyEventInput>(JsonBody.SerializerOptions);
                if (input is null)
                {
                    errors[prefix.TrimEnd('.')] = ["An event must be a JSON object."];
                    continue;
                }

                var program = await programs.ResolveAsync(input.ProgramId, programId => BackendKeyPrograms.Allows(user, keys.CurrentValue, programId), cancellationToken);
                if (program.Template is null)
                {
                    errors[prefix + "programId"] = [program.Error!];
                    retired += program.Retired ? 1 : 0;
                }
                else if (LoyaltyEventValidation.Validate(input, program.Template, prefix, errors) is not null)
                {
                    inputs.Add(input);
                }
            }
            catch (JsonException e)
            {
                errors[prefix + (e.Path ?? "$").TrimStart('$', '.')] = [JsonBody.IsMissingOffset(e) ? OffsetDateTimeConverter.MissingOffset : "Wrong type, unknown property or malformed value."];
            }
        }

        if (errors.Count > 0 && errors.Count == retired)
        {
            // Nothing wrong with the events but their program's retirement: a conflict with the deployment's state,
            // which sending them again will not mend.
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Program retired",
                detail: "Some events name a retired program (listed in errors); none were accepted.",
                extensions: new Dictionary<string, object?> { ["errors"] = errors });
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Some events are invalid; none were accepted.");
        }

        await queue.EnqueueAsync(inputs, cancellationToken);
        return TypedResults.Accepted((string?)null, new AcceptedEvents(inputs.Count));
    }
}
