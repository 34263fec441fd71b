using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using WalletPasses.Google;
using WalletPasses.Telemetry;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Google;

/// <summary>
/// Anyone can POST to the callback route (Google's save/delete callbacks are signed, not authenticated:
/// https://developers.google.com/wallet/generic/use-cases/use-callbacks-for-saves-and-deletions), so what a rejected
/// callback writes to the log is bounded: the first per reason per minute, with the count of those left out since.
/// </summary>
public sealed class GoogleCallbackLogTests(GoogleAppFixture app) : IClassFixture<GoogleAppFixture>, IDisposable
{
    private const string Rejected = "Rejected a Google Wallet callback";

    private readonly CapturedLogs _logs = new();
    private WebApplicationFactory<Program>? _factory;

    private HttpClient Client()
    {
        // Its own host, so its rejection windows start empty and only this test's lines are captured.
        _factory ??= app.Factory.WithWebHostBuilder(builder => builder.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(_logs)));
        return _factory.CreateClient();
    }

    [Fact]
    public async Task A_flood_of_rejected_callbacks_logs_one_line_per_reason_per_minute_with_the_count_left_out()
    {
        using var client = Client();
        var secret = "nonce-" + Guid.NewGuid().ToString("N");
        var malformed = $$"""{"signature": "{{secret}}"}""";
        using var otherSigner = new GoogleCallbackSigner();
        var wrongRoot = SignedCallback(otherSigner, secret);
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(client, malformed)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(client, wrongRoot)).StatusCode);
        }

        var lines = RejectionLines();
        Assert.Equal(2, lines.Count);
        Assert.Single(lines, line => line.Message.Contains(nameof(CallbackRejection.Malformed), StringComparison.Ordinal));
        Assert.Single(lines, line => line.Message.Contains(nameof(CallbackRejection.IntermediateKeySignatureInvalid), StringComparison.Ordinal));
        Assert.All(lines, line => Assert.Equal(LogLevel.Warning, line.Level));
        Assert.All(_logs.Entries, line => Assert.DoesNotContain(secret, line.Message, StringComparison.Ordinal));

        app.Factory.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(client, malformed)).StatusCode);

        var next = Assert.Single(RejectionLines().Skip(2));
        Assert.Contains(nameof(CallbackRejection.Malformed), next.Message, StringComparison.Ordinal);
        Assert.Contains("49 more", next.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flood_that_stops_is_counted_as_it_happens_not_when_the_next_line_is_written()
    {
        // The log holds back the count of a window's other rejections until the reason's next line, which a flood that
        // stops never brings: the operator's metric has each refusal at once, by reason, and nothing of the body.
        using var client = Client();
        using var refused = new MetricCollector<long>(_factory!.Services.GetRequiredService<IMeterFactory>(), WalletPassesTelemetry.Name, "walletpasses.google.callbacks.refused");
        var secret = "nonce-" + Guid.NewGuid().ToString("N");
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(client, $$"""{"signature": "{{secret}}"}""")).StatusCode);
        }

        var measurements = refused.GetMeasurementSnapshot();
        Assert.Equal(30, measurements.Sum(m => m.Value));
        Assert.All(measurements, m => Assert.Equal(nameof(CallbackRejection.Malformed), m.Tags["walletpasses.callback.reason"]));
        Assert.All(measurements, m => Assert.DoesNotContain(m.Tags.Values, v => v?.ToString()?.Contains(secret, StringComparison.Ordinal) == true));
        Assert.Single(RejectionLines()); // the log itself stays at one line for the minute
    }

    [Fact]
    public async Task While_Googles_keys_cannot_be_fetched_callbacks_log_one_line_a_minute_not_one_each()
    {
        var settings = GoogleAppFixture.GoogleSettings(app.Fake, app.KeyFile);
        settings["WalletPasses:Google:CallbackKeysUrl"] = "http://127.0.0.1:9/gp/m/issuer/keys"; // the discard port: nothing answers
        var logs = new CapturedLogs();
        await using var factory = new WalletPassesFactory(app.Azurite.ConnectionString, settings) { ConfigureTestServices = services => services.AddSingleton<ILoggerProvider>(logs) };
        using var client = factory.CreateClient();

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await PostAsync(client, SignedCallback(app.Callbacks, Guid.NewGuid().ToString()))).StatusCode);
        }

        Assert.Single(logs.Entries, line => line.Message.Contains("callback signing keys could not be fetched", StringComparison.Ordinal));
    }

    public void Dispose() => _factory?.Dispose();

    private List<LogEntry> RejectionLines() => [.. _logs.Entries.Where(line => line.Message.Contains(Rejected, StringComparison.Ordinal))];

    /// <summary>A save callback as Google signs it (ECv2SigningOnly, GoogleCallbackSigner), by <paramref name="signer"/>'s root key.</summary>
    private string SignedCallback(GoogleCallbackSigner signer, string nonce)
    {
        var now = app.Factory.Time.GetUtcNow();
        return signer.Callback(GoogleCallbackSigner.Message(GoogleAppFixture.ClassId, GoogleWalletTestData.IssuerId + ".x", "save", now.AddMinutes(5), nonce), GoogleWalletTestData.IssuerId, now.AddDays(7));
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string body) =>
        client.PostAsync("/api/google/callbacks", new StringContent(body, Encoding.UTF8, "application/json"));
}
