using System.Diagnostics;
using System.Net;
using Azure.Storage.Queues;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Telemetry;

using Activity = System.Diagnostics.Activity;

/// <summary>
/// One loyalty event is one trace: the backend's request, the queue send, the processing (by the standalone poller
/// here), and the APNs push to the member's device, whichever process picks the message up.
/// </summary>
[Collection(TelemetryTests.Name)]
public sealed class TracingTests(TelemetryFixture app)
{
    private WalletPassesFactory Factory => app.Factory;

    [Fact]
    public async Task A_posted_event_is_one_trace_from_the_request_through_the_queue_to_the_apns_push()
    {
        var pass = await InstalledPass.IssueAsync(Factory);
        var device = new SimulatedDevice(Factory);
        Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);
        var (traceParent, traceId, backendSpanId) = TelemetryFixture.NewTrace();

        using var backend = Factory.CreateBackendClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/loyalty-events") { Content = TestMembers.Json(TestMembers.PointsEvent(pass.MemberId, 1, 4242)) };
        request.Headers.Add("traceparent", traceParent);
        Assert.Equal(HttpStatusCode.Accepted, (await backend.SendAsync(request)).StatusCode);

        // The processing span ends last (the push is its descendant).
        await Eventually.HoldsAsync(() => app.Spans.OfTrace(traceId).Any(s => s.Kind == ActivityKind.Consumer), "the processing span in the request's trace");
        var spans = app.Spans.OfTrace(traceId);
        var server = Assert.Single(spans, s => s.Kind == ActivityKind.Server && s.ParentSpanId == backendSpanId); // the backend's trace goes on
        Assert.Contains("loyalty-events", server.GetTagItem("http.route")?.ToString(), StringComparison.Ordinal);
        var send = Assert.Single(spans, s => s.Kind == ActivityKind.Producer);
        Assert.Equal(server.SpanId, send.ParentSpanId);
        var process = Assert.Single(spans, s => s.Kind == ActivityKind.Consumer);
        Assert.Equal(send.SpanId, process.ParentSpanId);
        Assert.Equal("applied", process.GetTagItem("walletpasses.event.outcome"));
        var push = Assert.Single(spans, s => s.OperationName == "apns push");
        Assert.Contains(process, Ancestors(push, spans));
        Assert.True(process.StartTimeUtc <= push.StartTimeUtc);

        // The HTTP/2 request to APNs is the push span's child, its URL without the device's push token.
        var apnsRequest = Assert.Single(spans, s => s.Kind == ActivityKind.Client && s.ParentSpanId == push.SpanId);
        var url = apnsRequest.GetTagItem("url.full")?.ToString();
        Assert.NotNull(url);
        Assert.DoesNotContain(device.PushToken, url, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(SharedApns.Emulator.Pushes, p => string.Equals(p.PushToken, device.PushToken, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_backend_that_queues_events_itself_may_carry_its_trace_and_without_one_the_event_still_applies()
    {
        using var backend = Factory.CreateBackendClient();
        var traced = TestMembers.NewId();
        var untraced = TestMembers.NewId();
        var badTrace = TestMembers.NewId();
        await TestMembers.CreateAsync(backend, traced);
        await TestMembers.CreateAsync(backend, untraced);
        await TestMembers.CreateAsync(backend, badTrace);
        var queue = new QueueClient(Factory.Settings["AzureWebJobsStorage"], Factory.StoragePrefix + "loyalty-events", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var (traceParent, traceId, backendSpanId) = TelemetryFixture.NewTrace();

        // The message format of the contract (docs/contract.md), with and without the optional W3C traceparent.
        await queue.SendMessageAsync($$"""{"eventId": "evt-{{traced}}", "memberId": "{{traced}}", "sequence": 1, "occurredAt": "2026-11-23T10:00:00Z", "type": "tier.changed", "tier": "gold", "traceparent": "{{traceParent}}"}""");
        await queue.SendMessageAsync($$"""{"eventId": "evt-{{untraced}}", "memberId": "{{untraced}}", "sequence": 1, "occurredAt": "2026-11-23T10:00:00Z", "type": "tier.changed", "tier": "gold"}""");
        await queue.SendMessageAsync($$"""{"eventId": "evt-{{badTrace}}", "memberId": "{{badTrace}}", "sequence": 1, "occurredAt": "2026-11-23T10:00:00Z", "type": "tier.changed", "tier": "gold", "traceparent": "not-a-trace"}""");

        foreach (var memberId in new[] { traced, untraced, badTrace })
        {
            await TestMembers.WaitForAsync(backend, memberId, m => m.GetProperty("tier").GetString() == "gold");
        }

        await Eventually.HoldsAsync(() => app.Spans.OfTrace(traceId).Any(s => s.Kind == ActivityKind.Consumer), "the processing span in the backend's trace");
        Assert.Equal(backendSpanId, Assert.Single(app.Spans.OfTrace(traceId), s => s.Kind == ActivityKind.Consumer).ParentSpanId);
    }

    private static IEnumerable<Activity> Ancestors(Activity span, IReadOnlyList<Activity> trace)
    {
        for (var parent = trace.FirstOrDefault(s => s.SpanId == span.ParentSpanId); parent is not null; parent = trace.FirstOrDefault(s => s.SpanId == parent.ParentSpanId))
        {
            yield return parent;
        }
    }
}
