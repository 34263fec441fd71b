using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Telemetry;

/// <summary>
/// The standalone app exporting as an operator would configure it (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c> and
/// <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>) to an OTLP/HTTP receiver on loopback, with an in-memory exporter added to the
/// app's own tracer provider so tests can read its spans.
/// </summary>
public sealed class TelemetryFixture : IAsyncLifetime
{
    public OtlpReceiver Collector { get; private set; } = null!;

    public ExportedSpanCollection Spans { get; } = new();

    public WalletPassesFactory Factory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Collector = await OtlpReceiver.StartAsync();
        var azurite = await AzuriteServer.Shared;
        Factory = new WalletPassesFactory(azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Collector.Endpoint.AbsoluteUri,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["WalletPasses:Events:VisibilityTimeout"] = "00:00:01",
            ["WalletPasses:Events:MaxIdleDelay"] = "00:00:00.200",
        })
        {
            ConfigureTestServices = services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans)),
        };
        using var client = Factory.CreateClient();
        (await client.GetAsync(new Uri("/api/health", UriKind.Relative))).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Collector.DisposeAsync();
    }

    /// <summary>A W3C <c>traceparent</c> for a new trace, as a backend's own tracing would send it, and its trace id.</summary>
    public static (string TraceParent, ActivityTraceId TraceId, ActivitySpanId SpanId) NewTrace()
    {
        var (traceId, spanId) = (ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom());
        return ($"00-{traceId}-{spanId}-01", traceId, spanId);
    }
}

[CollectionDefinition(Name)]
public sealed class TelemetryTests : ICollectionFixture<TelemetryFixture>
{
    public const string Name = "Telemetry";
}
