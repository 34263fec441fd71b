using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using WalletPasses.Tests.Functions;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Telemetry;

/// <summary>Export happens when an operator sets an OTLP endpoint, to that endpoint, and not otherwise.</summary>
[Collection(TelemetryTests.Name)]
public sealed class TelemetryExportTests(TelemetryFixture app)
{
    /// <summary>The worker's capability that tells the host the worker exports its own telemetry (azure-functions-dotnet-worker, ConfigureFunctionsOpenTelemetry.UseFunctionsWorkerDefaults).</summary>
    private const string WorkerOpenTelemetryCapability = "WorkerOpenTelemetryEnabled";

    [Fact]
    public async Task With_an_otlp_endpoint_set_traces_and_metrics_reach_it_over_otlp_http()
    {
        using var backend = app.Factory.CreateBackendClient();
        await TestMembers.CreateAsync(backend, TestMembers.NewId());

        await Eventually.HoldsAsync(() => app.Collector.Count("/v1/traces") > 0 && app.Collector.Count("/v1/metrics") > 0, "traces and metrics exported to the OTLP endpoint");
    }

    [Fact]
    public async Task Without_an_otlp_endpoint_no_telemetry_pipeline_exists_to_export_anything()
    {
        var azurite = await AzuriteServer.Shared;
        await using var factory = new WalletPassesFactory(azurite.ConnectionString);
        using var client = factory.CreateClient();
        (await client.GetAsync(new Uri("/api/health", UriKind.Relative))).EnsureSuccessStatusCode();

        Assert.Null(factory.Services.GetService<TracerProvider>());
        Assert.Null(factory.Services.GetService<MeterProvider>());
        Assert.Null(factory.Services.GetService<LoggerProvider>());
    }

    [Fact]
    public void Under_the_functions_host_the_worker_exports_its_own_telemetry_only_when_an_endpoint_is_set()
    {
        using var exporting = FunctionsAppFixture.BuildHost(app.Factory.Settings);
        using var silent = FunctionsAppFixture.BuildHost(app.Factory.Settings.Where(s => !s.Key.StartsWith("OTEL_", StringComparison.Ordinal)));

        Assert.NotNull(exporting.Services.GetService<TracerProvider>());
        Assert.Equal(bool.TrueString, exporting.Services.GetRequiredService<IOptions<WorkerOptions>>().Value.Capabilities[WorkerOpenTelemetryCapability]);
        Assert.Null(silent.Services.GetService<TracerProvider>());
        Assert.False(silent.Services.GetRequiredService<IOptions<WorkerOptions>>().Value.Capabilities.ContainsKey(WorkerOpenTelemetryCapability));
    }
}
