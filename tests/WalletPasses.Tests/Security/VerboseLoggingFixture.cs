using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using WalletPasses.Tests.Google;
using WalletPasses.Tests.Infrastructure;
using WalletPasses.Tests.Telemetry;

namespace WalletPasses.Tests.Security;

/// <summary>
/// The app with every log category at Trace (the most an operator could turn on) and its log captured, Google Wallet
/// on (against its fake), signed loyalty events, and OpenTelemetry exporting traces, metrics and logs to an OTLP
/// receiver (every exported byte kept) with its spans also kept in memory.
/// </summary>
public sealed class VerboseLoggingFixture : IAsyncLifetime
{
    public const string EventSigningSecret = "test-event-signing-secret-0123456789";

    public LogCapture Log { get; } = new();

    public ExportedSpanCollection Spans { get; } = new();

    public OtlpReceiver Collector { get; private set; } = null!;

    public GoogleWalletFake Google { get; private set; } = null!;

    public string GoogleKeyFile { get; private set; } = null!;

    public WalletPassesFactory Factory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var azurite = await AzuriteServer.Shared;
        Collector = await OtlpReceiver.StartAsync();
        Google = await GoogleWalletFake.StartAsync();
        GoogleKeyFile = Google.WriteServiceAccountKeyFile();
        Factory = new WalletPassesFactory(azurite.ConnectionString, new Dictionary<string, string?>(GoogleAppFixture.GoogleSettings(Google, GoogleKeyFile))
        {
            ["WalletPasses:Events:SigningSecret"] = EventSigningSecret,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Collector.Endpoint.AbsoluteUri,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Trace", // appsettings.json turns it off (request logs and their Activity)
            ["Logging:LogLevel:System"] = "Trace",
            ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Trace",
            ["Logging:LogLevel:Azure.Core"] = "Trace",
        })
        {
            ConfigureTestServices = services =>
            {
                services.AddSingleton<ILoggerProvider>(Log);
                services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans));
            },
        };
        using var client = Factory.CreateClient();
        (await client.GetAsync(new Uri("/api/health", UriKind.Relative))).EnsureSuccessStatusCode();
    }

    /// <summary>Sends everything the app's OpenTelemetry pipeline holds to the receiver now.</summary>
    public void FlushTelemetry()
    {
        Factory.Services.GetRequiredService<TracerProvider>().ForceFlush();
        Factory.Services.GetRequiredService<MeterProvider>().ForceFlush();
        Factory.Services.GetRequiredService<LoggerProvider>().ForceFlush();
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Collector.DisposeAsync();
        await Google.DisposeAsync();
    }
}
