using WalletPasses.Tests.Google;
using WalletPasses.Tests.Infrastructure;
using WalletPasses.Tests.Telemetry;

namespace WalletPasses.Tests.Security;

/// <summary>
/// The app with Google Wallet on (against its fake), signed loyalty events, and all it says kept (<see cref="VerboseTelemetry"/>).
/// </summary>
public sealed class VerboseLoggingFixture : IAsyncLifetime
{
    public const string EventSigningSecret = "test-event-signing-secret-0123456789";

    private VerboseTelemetry _telemetry = null!;

    public LogCapture Log => _telemetry.Log;

    public ExportedSpanCollection Spans => _telemetry.Spans;

    public OtlpReceiver Collector => _telemetry.Collector;

    public GoogleWalletFake Google { get; private set; } = null!;

    public string GoogleKeyFile { get; private set; } = null!;

    public WalletPassesFactory Factory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var azurite = await AzuriteServer.Shared;
        _telemetry = await VerboseTelemetry.StartAsync();
        Google = await GoogleWalletFake.StartAsync();
        GoogleKeyFile = Google.WriteServiceAccountKeyFile();
        Factory = new WalletPassesFactory(azurite.ConnectionString, _telemetry.With(new Dictionary<string, string?>(GoogleAppFixture.GoogleSettings(Google, GoogleKeyFile))
        {
            ["WalletPasses:Events:SigningSecret"] = EventSigningSecret,
        }))
        {
            ConfigureTestServices = _telemetry.Capture,
        };
        using var client = Factory.CreateClient();
        (await client.GetAsync(new Uri("/api/health", UriKind.Relative))).EnsureSuccessStatusCode();
    }

    /// <summary>Sends everything the app's OpenTelemetry pipeline holds to the receiver now.</summary>
    public void FlushTelemetry() => VerboseTelemetry.Flush(Factory.Services);

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await _telemetry.DisposeAsync();
        await Google.DisposeAsync();
    }
}
