using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WalletPasses.Apple.Apns;

/// <summary>
/// Warns at start-up when pushes go to Apple's sandbox: Wallet passes are updated through production APNs only,
/// so there every production device token is answered "bad" and its registration would be deleted.
/// </summary>
public sealed partial class ApnsEndpointCheck(IOptions<AppleOptions> options, ILogger<ApnsEndpointCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (string.Equals(options.Value.ApnsBaseUrl.Host, ApnsClient.SandboxHost, StringComparison.OrdinalIgnoreCase))
        {
            LogSandbox(logger, options.Value.ApnsBaseUrl);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Warning, "WalletPasses:Apple:ApnsBaseUrl is Apple's sandbox ({ApnsBaseUrl}): Wallet pass updates work only through https://api.push.apple.com, and the sandbox answers every production device token as bad, which removes its registration")]
    private static partial void LogSandbox(ILogger logger, Uri apnsBaseUrl);
}
