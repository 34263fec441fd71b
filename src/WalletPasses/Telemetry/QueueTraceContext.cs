using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WalletPasses.Telemetry;

using Activity = System.Diagnostics.Activity;

/// <summary>
/// W3C trace context (https://www.w3.org/TR/trace-context/) carried through the <c>loyalty-events</c> queue. A
/// queue message has no headers, and neither the Functions host nor the worker reads a trace from a queue
/// message's content (the host starts each invocation's span on its own: azure-webjobs-sdk
/// <c>TraceHelper.StartInvocationActivity</c>; the worker parents its span to the host's:
/// azure-functions-dotnet-worker <c>TelemetryProviderBase.StartActivityForInvocation</c>). So the message, the
/// event's JSON as a backend would send it, gets two optional top-level properties, <c>traceparent</c> and
/// <c>tracestate</c>, named as the HTTP headers are. A message without them (every backend's today) is unchanged.
/// </summary>
public static class QueueTraceContext
{
    public const string TraceParentProperty = "traceparent";
    public const string TraceStateProperty = "tracestate";

    /// <summary>The event's JSON with the current span's context, or exactly as serialized when there is no span.</summary>
    public static string Attach(JsonNode eventJson, Activity? activity)
    {
        if (activity is { IdFormat: ActivityIdFormat.W3C, Id: { } traceParent } && eventJson is JsonObject message)
        {
            message[TraceParentProperty] = traceParent;
            if (!string.IsNullOrEmpty(activity.TraceStateString))
            {
                message[TraceStateProperty] = activity.TraceStateString;
            }
        }

        return eventJson.ToJsonString();
    }

    /// <summary>
    /// The message without the trace-context properties, and the context they named (null when absent or not a
    /// valid <c>traceparent</c>: the event still applies, in a trace of its own). Text that is not a JSON object
    /// comes back unchanged for the parser to refuse.
    /// </summary>
    public static string Detach(string messageJson, out ActivityContext? sender)
    {
        sender = null;
        if (!messageJson.Contains('"' + TraceParentProperty + '"', StringComparison.OrdinalIgnoreCase)
            && !messageJson.Contains('"' + TraceStateProperty + '"', StringComparison.OrdinalIgnoreCase))
        {
            return messageJson;
        }

        try
        {
            if (JsonNode.Parse(messageJson) is not JsonObject message)
            {
                return messageJson;
            }

            var traceParent = Take(message, TraceParentProperty);
            var traceState = Take(message, TraceStateProperty);
            if (traceParent is not null && ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var context))
            {
                sender = context;
            }

            return message.ToJsonString();
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return messageJson;
        }
    }

    /// <summary>Removes the property (any letter case, as the web serializer matches names) and returns its text.</summary>
    private static string? Take(JsonObject message, string name)
    {
        var key = message.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
        if (key is null)
        {
            return null;
        }

        var value = message[key];
        message.Remove(key);
        return value is JsonValue text && text.TryGetValue<string>(out var s) ? s : null;
    }
}
