using System.Diagnostics;
using System.Text.Json.Nodes;
using WalletPasses.Telemetry;

namespace WalletPasses.Tests.Telemetry;

using Activity = System.Diagnostics.Activity;

/// <summary>
/// The trace context in a loyalty-events message: W3C Trace Context (https://www.w3.org/TR/trace-context/),
/// <c>traceparent</c> = version "00", 32 hex trace-id, 16 hex parent-id, 2 hex flags; <c>tracestate</c> as sent.
/// </summary>
public sealed class QueueTraceContextTests
{
    private const string Event = """{"eventId":"evt-1","memberId":"m-1","sequence":1,"occurredAt":"2026-11-23T10:00:00Z","type":"tier.changed","tier":"gold"}""";

    [Fact]
    public void A_traced_send_adds_traceparent_and_tracestate_that_the_receiver_takes_back_out()
    {
        using var span = new Activity("send").SetParentId("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").Start();
        span.TraceStateString = "congo=t61rcWkgMzE";

        var message = QueueTraceContext.Attach(JsonNode.Parse(Event)!, span);
        var received = QueueTraceContext.Detach(message, out var sender);

        Assert.Equal($"00-0af7651916cd43dd8448eb211c80319c-{span.SpanId}-01", JsonNode.Parse(message)!["traceparent"]!.GetValue<string>());
        Assert.Equal(Event, received);
        Assert.Equal(span.TraceId, sender!.Value.TraceId);
        Assert.Equal(span.SpanId, sender.Value.SpanId);
        Assert.Equal("congo=t61rcWkgMzE", sender.Value.TraceState);
        Assert.True(sender.Value.IsRemote);
    }

    [Fact]
    public void An_untraced_send_is_the_event_json_alone_and_such_a_message_is_read_unchanged()
    {
        Assert.Equal(Event, QueueTraceContext.Attach(JsonNode.Parse(Event)!, activity: null));
        Assert.Same(Event, QueueTraceContext.Detach(Event, out var sender));
        Assert.Null(sender);
    }

    [Theory]
    [InlineData("\"not-a-trace\"")]
    [InlineData("\"00-00000000000000000000000000000000-b7ad6b7169203331-01\"")] // all-zero trace-id is invalid
    [InlineData("42")]
    [InlineData("null")]
    public void An_invalid_traceparent_is_dropped_and_the_event_is_still_read(string value)
    {
        var received = QueueTraceContext.Detach(Event.TrimEnd('}') + ",\"traceparent\":" + value + "}", out var sender);

        Assert.Equal(Event, received);
        Assert.Null(sender);
    }

    [Theory]
    [InlineData("not json \"traceparent\"")]
    [InlineData("[\"traceparent\"]")]
    public void Text_that_is_not_a_json_object_comes_back_unchanged_for_the_parser_to_refuse(string text)
    {
        Assert.Equal(text, QueueTraceContext.Detach(text, out var sender));
        Assert.Null(sender);
    }
}
