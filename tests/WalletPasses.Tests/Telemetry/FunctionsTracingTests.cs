using System.Diagnostics;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Functions;
using WalletPasses.Tests.Functions;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Telemetry;

using Activity = System.Diagnostics.Activity;

/// <summary>
/// The queue trigger under the Functions worker. The host starts each invocation's span without reading the
/// message (azure-webjobs-sdk <c>TraceHelper.StartInvocationActivity</c>), and the worker runs the function inside
/// its own span parented to the host's (azure-functions-dotnet-worker
/// <c>TelemetryProviderBase.StartActivityForInvocation</c>): that span is <see cref="Activity.Current"/> when the
/// function runs, as the invocation span started here stands in for. Neither carries the sender's trace, so the
/// app's processing span does: a child of the trace in the message, linked to the invocation.
/// </summary>
[Collection(TelemetryTests.Name)]
public sealed class FunctionsTracingTests(TelemetryFixture app)
{
    [Fact]
    public async Task The_processing_span_joins_the_senders_trace_and_links_the_invocation_or_is_the_invocations_child_without_one()
    {
        // The fixture's tracer provider listens to the product's activity source in this whole process: it
        // records the spans of this Functions host too.
        using var host = FunctionsAppFixture.BuildHost(app.Factory.Settings);
        var trigger = ActivatorUtilities.CreateInstance<LoyaltyEventFunctions>(host.Services);
        using var backend = app.Factory.CreateBackendClient();
        var (traced, untraced) = (TestMembers.NewId(), TestMembers.NewId());
        await TestMembers.CreateAsync(backend, traced);
        await TestMembers.CreateAsync(backend, untraced);
        var (traceParent, traceId, senderSpanId) = TelemetryFixture.NewTrace();
        var sent = TestMembers.PointsEvent(traced, 1, 777).TrimEnd().TrimEnd('}') + $$""", "traceparent": "{{traceParent}}"}""";

        var tracedInvocation = await InvokeAsync(trigger, sent);
        var untracedInvocation = await InvokeAsync(trigger, TestMembers.PointsEvent(untraced, 1, 778));

        var process = Assert.Single(app.Spans.OfTrace(traceId), s => s.Kind == ActivityKind.Consumer);
        Assert.Equal(senderSpanId, process.ParentSpanId);
        Assert.Contains(process.Links, link => link.Context.TraceId == tracedInvocation.TraceId && link.Context.SpanId == tracedInvocation.SpanId);
        var ownTrace = Assert.Single(app.Spans.OfTrace(untracedInvocation.TraceId), s => s.Kind == ActivityKind.Consumer);
        Assert.Equal(untracedInvocation.SpanId, ownTrace.ParentSpanId);
        Assert.Empty(ownTrace.Links);
        Assert.Equal(777, (await TestMembers.GetAsync(backend, traced))!.Value.GetProperty("points").GetInt64());
    }

    /// <summary>Runs the trigger inside a stand-in for the worker's invocation span (itself in the host's trace).</summary>
    private static async Task<ActivityContext> InvokeAsync(LoyaltyEventFunctions trigger, string messageText)
    {
        using var invocation = new Activity("Invoke").SetParentId(TelemetryFixture.NewTrace().TraceParent).Start();
        await trigger.ProcessLoyaltyEvent(QueuesModelFactory.QueueMessage(Guid.NewGuid().ToString(), "pop-receipt", messageText, 1, insertedOn: DateTimeOffset.UtcNow), CancellationToken.None);
        return invocation.Context;
    }
}
