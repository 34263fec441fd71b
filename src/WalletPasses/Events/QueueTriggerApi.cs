using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using WalletPasses.Hosting;

namespace WalletPasses.Events;

/// <summary>The Functions host's custom-handler invocation: <c>{"Data": {...}, "Metadata": {...}}</c>.</summary>
public sealed record FunctionInvocation(Dictionary<string, JsonElement>? Data, Dictionary<string, JsonElement>? Metadata);

/// <summary>The handler's reply; any non-2xx status fails the invocation so the host retries.</summary>
public sealed record FunctionInvocationResult(Dictionary<string, object?> Outputs, IReadOnlyList<string> Logs, object? ReturnValue);

/// <summary>
/// The queue-trigger function <c>ProcessLoyaltyEvent</c> (function-host/ProcessLoyaltyEvent) as the custom
/// handler receives it: <c>POST /ProcessLoyaltyEvent</c>. Mapped only under the Functions host, whose
/// handler port listens on 127.0.0.1 alone.
/// </summary>
public static class QueueTriggerApi
{
    public const string FunctionName = "ProcessLoyaltyEvent";
    public const string BindingName = "message";

    public static IEndpointRouteBuilder MapQueueTriggerApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/" + FunctionName, ProcessLoyaltyEvent).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    public static async Task<Results<Ok<FunctionInvocationResult>, ProblemHttpResult>> ProcessLoyaltyEvent(
        HttpRequest request, LoyaltyEventMessages queue, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<FunctionInvocation>(request, 1024 * 1024, cancellationToken);
        if (body.Problem is { } problem)
        {
            return problem.Result;
        }

        if (body.Value!.Data is null || !body.Value.Data.TryGetValue(BindingName, out var message))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "No queue message", detail: $"Data.{BindingName} is missing.");
        }

        var messageText = message.ValueKind == JsonValueKind.String ? message.GetString()! : message.GetRawText();
        var dequeueCount = body.Value.Metadata?.TryGetValue("DequeueCount", out var count) == true && count.TryGetInt64(out var n) ? n : 1;
        var outcome = await queue.HandleAsync(messageText, dequeueCount, cancellationToken);
        return outcome == QueueMessageOutcome.Done
            ? TypedResults.Ok(new FunctionInvocationResult([], [$"Loyalty event handled (delivery {dequeueCount})."], null))
            : TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Processing failed; the host will retry.");
    }
}
