using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WalletPasses.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Apple;

/// <summary>
/// Devices report their web-service errors to <c>POST /v1/log</c> ("Log a Message",
/// https://developer.apple.com/documentation/walletpasses/log-a-message); operators read them, bounded and one
/// line each, at Information level (a device's report, not a fault of the service).
/// </summary>
public sealed class PassKitLogTests(AppFixture app) : IClassFixture<AppFixture>, IDisposable
{
    private readonly CapturedLogs _logs = new();
    private WebApplicationFactory<Program>? _factory;

    private static readonly Uri LogUrl = new("https://wallet.test/api/passkit/v1/log");

    /// <summary>Posts to an app whose log this test reads (its own host, so only tests that read logs pay for one).</summary>
    private Task<HttpResponseMessage> PostLogAndCaptureAsync(HttpContent content)
    {
        _factory ??= app.Factory.WithWebHostBuilder(builder => builder.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(_logs)));
        return _factory.CreateClient().PostAsync(LogUrl, content);
    }

    private static StringContent Logs(params string[] entries) =>
        new(JsonSerializer.Serialize(new { logs = entries }), Encoding.UTF8, "application/json");

    [Fact]
    public async Task Each_entry_is_logged_at_information_level()
    {
        var entry = $"[{Guid.NewGuid():N}] Register task encountered error: Authentication failure";

        var response = await PostLogAndCaptureAsync(Logs(entry, "Get pass task: unexpected response 500"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var logged = Assert.Single(_logs.Entries, e => e.Message.Contains(entry, StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, logged.Level);
        Assert.Equal(PassKitApi.LoggerCategory, logged.Category);
    }

    [Fact]
    public async Task An_entry_cannot_forge_log_lines_or_flood_the_log()
    {
        var marker = Guid.NewGuid().ToString("N");
        var forged = $"{marker} ok\r\n2026-01-01 [ERR] admin logged in\u2028\u202Eevil\u001b[31m";
        var entries = Enumerable.Range(0, 149).Select(i => $"{marker} #{i} " + new string('x', i == 0 ? 5000 : 10)).Prepend(forged).ToArray();

        var response = await PostLogAndCaptureAsync(Logs(entries));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var logged = _logs.Entries.Where(e => e.Message.Contains(marker, StringComparison.Ordinal)).ToList();
        Assert.Equal(PassKitApi.MaxLogEntries, logged.Count);
        Assert.All(logged, e => Assert.DoesNotContain(e.Message, c => char.IsControl(c) || c is '\u2028' or '\u202E'));
        Assert.All(logged, e => Assert.True(e.Message.Length <= PassKitApi.MaxLogEntryLength + "Device reports: ".Length, $"{e.Message.Length} characters"));
        Assert.Contains(logged, e => e.Message.Contains("ok2026-01-01 [ERR] admin logged inevil[31m", StringComparison.Ordinal));
        Assert.Contains(_logs.Entries, e => e.Message.Contains($"{150 - PassKitApi.MaxLogEntries} more entries", StringComparison.Ordinal));
    }

    public static TheoryData<string, HttpStatusCode> BadBodies => new()
    {
        { """{"logs": ["a"]""", HttpStatusCode.BadRequest },
        { """{"logs": "a single string"}""", HttpStatusCode.BadRequest },
        { """{"logs": [1, 2]}""", HttpStatusCode.BadRequest },
        { """{}""", HttpStatusCode.BadRequest },
        { "", HttpStatusCode.BadRequest },
        { $$"""{"logs": ["{{new string('x', 20_000)}}"]}""", HttpStatusCode.RequestEntityTooLarge },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_malformed_or_oversized_body_is_a_4xx_problem(string body, HttpStatusCode expected)
    {
        var response = await app.Factory.CreateClient().PostAsync(LogUrl, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public void A_long_entry_is_cut_without_splitting_a_character()
    {
        var line = PassKitApi.ToSingleLine(new string('a', PassKitApi.MaxLogEntryLength - 1) + "😀tail");

        Assert.Equal(new string('a', PassKitApi.MaxLogEntryLength - 1), line);
    }

    public void Dispose() => _factory?.Dispose();
}
