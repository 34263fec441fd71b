using WalletPasses.Tests.Google;
using WalletPasses.Tests.Infrastructure;
using WalletPasses.Tests.Telemetry;

namespace WalletPasses.Tests.Members;

/// <summary>
/// The app with everything that may keep something of a member: Apple passes (the APNs emulator), Google Wallet (its
/// fake, on the app's clock), quiet hours (deferred alerts), a points webhook that keeps failing (so its request stays
/// stored), and all the app says kept (<see cref="VerboseTelemetry"/>).
/// </summary>
public sealed class ErasureFixture : IAsyncLifetime
{
    private VerboseTelemetry _telemetry = null!;

    public LogCapture Log => _telemetry.Log;

    public ExportedSpanCollection Spans => _telemetry.Spans;

    public OtlpReceiver Collector => _telemetry.Collector;

    public GoogleWalletFake Google { get; private set; } = null!;

    public GoogleCallbackSigner Callbacks { get; } = new();

    /// <summary>The backend's points webhook, down for the whole test.</summary>
    public WebhookReceiver Webhook { get; } = new(failuresBeforeSuccess: int.MaxValue);

    public WalletPassesFactory Factory { get; private set; } = null!;

    public AzuriteServer Azurite { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Azurite = await AzuriteServer.Shared;
        _telemetry = await VerboseTelemetry.StartAsync();
        Google = await GoogleWalletFake.StartAsync();
        Google.PublishCallbackRootKey(Callbacks.RootKey.ExportSubjectPublicKeyInfo(), DateTimeOffset.UtcNow.AddYears(1));
        Factory = new WalletPassesFactory(Azurite.ConnectionString, _telemetry.With(new Dictionary<string, string?>(GoogleAppFixture.GoogleSettings(Google, Google.WriteServiceAccountKeyFile()))
        {
            ["WalletPasses:Notifications:QuietHoursStart"] = "21:00",
            ["WalletPasses:Notifications:QuietHoursEnd"] = "08:00",
            ["WalletPasses:Staff:PointsWebhookUrl"] = Webhook.Url.AbsoluteUri,
            ["WalletPasses:Staff:PointsWebhookSecret"] = "test-webhook-secret-0123456789-0123456789",
        }))
        {
            ConfigureTestServices = _telemetry.Capture,
        };
        Google.Clock = Factory.Time;
        using var client = Factory.CreateClient();
        (await client.GetAsync(new Uri("/api/health", UriKind.Relative))).EnsureSuccessStatusCode();
    }

    /// <summary>Everything logged, every span's attributes and every byte exported over OTLP, one line each.</summary>
    public IReadOnlyList<string> Telemetry()
    {
        VerboseTelemetry.Flush(Factory.Services);
        return
        [
            .. Log.Lines,
            .. Spans.Select(span => $"span {span.DisplayName}: {string.Join(" ", span.TagObjects.Select(t => $"{t.Key}={t.Value}"))}"),
            .. Collector.Bodies.Select(body => "exported: " + System.Text.Encoding.UTF8.GetString(body)),
        ];
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await _telemetry.DisposeAsync();
        await Google.DisposeAsync();
        Callbacks.Dispose();
        Webhook.Dispose();
    }
}
