using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Telemetry;

/// <summary>
/// All an app may say about what it did, kept for a test to search: every log category at Trace (the most an operator
/// could turn on) with the log captured, and OpenTelemetry exporting traces, metrics and logs to an OTLP receiver (every
/// exported byte kept) with its spans also kept in memory. A fixture adds <see cref="With"/> to the app's settings and
/// <see cref="Capture"/> to its test services.
/// </summary>
public sealed class VerboseTelemetry : IAsyncDisposable
{
    private VerboseTelemetry(OtlpReceiver collector) => Collector = collector;

    public LogCapture Log { get; } = new();

    public ExportedSpanCollection Spans { get; } = new();

    public OtlpReceiver Collector { get; }

    public static async Task<VerboseTelemetry> StartAsync() => new(await OtlpReceiver.StartAsync());

    /// <summary><paramref name="settings"/> with the settings that turn every log category to Trace and export to <see cref="Collector"/>.</summary>
    public Dictionary<string, string?> With(IDictionary<string, string?> settings) => new(settings)
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Collector.Endpoint.AbsoluteUri,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Trace", // appsettings.json turns it off (request logs and their Activity)
        ["Logging:LogLevel:System"] = "Trace",
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Trace",
        ["Logging:LogLevel:Azure.Core"] = "Trace",
    };

    /// <summary>For <see cref="WalletPassesFactory.ConfigureTestServices"/>: the app's log into <see cref="Log"/>, its spans into <see cref="Spans"/>.</summary>
    public void Capture(IServiceCollection services)
    {
        services.AddSingleton<ILoggerProvider>(Log);
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans));
    }

    /// <summary>Sends everything the app's OpenTelemetry pipeline holds to <see cref="Collector"/> now.</summary>
    public static void Flush(IServiceProvider appServices)
    {
        appServices.GetRequiredService<TracerProvider>().ForceFlush();
        appServices.GetRequiredService<MeterProvider>().ForceFlush();
        appServices.GetRequiredService<LoggerProvider>().ForceFlush();
    }

    public ValueTask DisposeAsync() => Collector.DisposeAsync();
}
