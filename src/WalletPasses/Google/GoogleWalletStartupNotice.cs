using Microsoft.Extensions.Options;

namespace WalletPasses.Google;

/// <summary>Says once at start-up whether Google Wallet is on.</summary>
public sealed partial class GoogleWalletStartupNotice(
    GoogleWalletFeature feature, IOptions<WalletPassesOptions> options, ILogger<GoogleWalletStartupNotice> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!feature.Enabled)
        {
            LogAppleOnly(logger, GoogleWalletFeature.IssuerIdSetting);
        }
        else
        {
            LogGoogleOn(logger, feature.IssuerId);
            if (options.Value.BaseUri.Scheme != Uri.UriSchemeHttps)
            {
                LogNotHttps(logger, options.Value.BaseUri);
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Information, "Google Wallet is off ({Setting} is not set): issuing Apple Wallet passes only")]
    private static partial void LogAppleOnly(ILogger logger, string setting);

    [LoggerMessage(LogLevel.Information, "Google Wallet is on for issuer {IssuerId}")]
    private static partial void LogGoogleOn(ILogger logger, string issuerId);

    [LoggerMessage(LogLevel.Warning, "PublicBaseUrl {BaseUrl} is not HTTPS: Google Wallet fetches images and sends callbacks over public HTTPS only")]
    private static partial void LogNotHttps(ILogger logger, Uri baseUrl);
}
