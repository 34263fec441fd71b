using Microsoft.Extensions.Logging;
using WalletPasses.Security;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Security;

/// <summary>What the redacting logger factory takes out of a line, and what it leaves for the operator.</summary>
public sealed partial class LogRedactionTests
{
    private static string LogOnce(Action<ILogger> log)
    {
        var capture = new LogCapture();
        using var factory = new RedactingLoggerFactory(LoggerFactory.Create(logging => logging.AddProvider(capture).SetMinimumLevel(LogLevel.Trace)));
        log(factory.CreateLogger("test"));
        return Assert.Single(capture.Lines);
    }

    [Fact]
    public void A_device_library_identifier_logged_as_a_value_is_redacted_in_the_message_and_the_value()
    {
        var line = LogOnce(logger => LogDeviceGone(logger, "7b3e0c1d9f2a4e55", "Unregistered"));

        Assert.DoesNotContain("7b3e0c1d9f2a4e55", line, StringComparison.Ordinal);
        Assert.Contains("Unregistered", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET https://wallet.test/api/apple/passes/0123?expires=1798872349&signature=Hdlh2Dc-q-sS", "Hdlh2Dc-q-sS", "/api/apple/passes/0123?[redacted]")]
    [InlineData("POST /api/passkit/v1/devices/device.1d2f/registrations/pass.x/0123", "device.1d2f", "/v1/devices/[redacted]/registrations/pass.x/0123")]
    [InlineData("POST https://api.push.apple.com/3/device/aabbccddeeff", "aabbccddeeff", "/3/device/[redacted]")]
    [InlineData("Authorization: ApplePass 0a1b2c3d4e5f6a7b8c9d", "0a1b2c3d4e5f6a7b8c9d", "ApplePass [redacted]")]
    [InlineData("redirect to https://pay.google.com/gp/v/save/eyJhbGciOi.eyJpc3MiOi.c2lnbmF0dXJl", "eyJpc3MiOi", "/gp/v/save/[redacted]")]
    [InlineData("scanned WP1.AAECAwQFBgcICQoLDA0ODxAREhMUFRYX.c2lnbmF0dXJl at the till", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYX", "scanned [redacted] at the till")]
    [InlineData("scanned WP2.AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGw.c2lnbmF0dXJl at the till", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGw", "scanned [redacted] at the till")]
    public void Secrets_inside_free_text_are_redacted_and_the_rest_kept(string text, string secret, string kept)
    {
        var line = LogOnce(logger => LogDeviceEntry(logger, text));

        Assert.DoesNotContain(secret, line, StringComparison.Ordinal);
        Assert.Contains(kept, line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scope_is_redacted_when_a_provider_reads_it()
    {
        // ASP.NET Core's request scope carries the path; scopes are redacted lazily, on the provider's first read.
        var line = LogOnce(logger =>
        {
            using (logger.BeginScope(new Dictionary<string, object?> { ["RequestPath"] = "/api/passkit/v1/devices/device.1d2f/registrations/pass.x/0123", ["PushToken"] = "aabbccddeeff00" }))
            {
                LogDeviceEntry(logger, "inside the request");
            }
        });

        Assert.DoesNotContain("device.1d2f", line, StringComparison.Ordinal);
        Assert.DoesNotContain("aabbccddeeff00", line, StringComparison.Ordinal);
        Assert.Contains("RequestPath=/api/passkit/v1/devices/[redacted]/registrations/pass.x/0123", line, StringComparison.Ordinal);
        Assert.Contains("inside the request", line, StringComparison.Ordinal);
    }

    [LoggerMessage(LogLevel.Information, "APNs says device {DeviceLibraryIdentifier} is gone ({Reason})")]
    private static partial void LogDeviceGone(ILogger logger, string deviceLibraryIdentifier, string reason);

    [LoggerMessage(LogLevel.Warning, "Device reports: {DeviceLogEntry}")]
    private static partial void LogDeviceEntry(ILogger logger, string deviceLogEntry);
}
