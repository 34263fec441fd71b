using Microsoft.Extensions.Options;
using WalletPasses.Members;
using WalletPasses.Templates;

namespace WalletPasses.Google;

public static class GoogleWalletRegistration
{
    public const string Section = GoogleWalletOptions.Section;

    /// <summary>
    /// Google Wallet when <c>WalletPasses:Google:IssuerId</c> is set (then the service-account key is required and
    /// checked at start-up); otherwise only <see cref="GoogleWalletFeature"/> (disabled) and the start-up notice.
    /// Register after the storage initializer: the background syncs need storage and the template.
    /// </summary>
    public static IServiceCollection AddGoogle(this IServiceCollection services, IConfiguration configuration)
    {
        var feature = new GoogleWalletFeature(configuration[GoogleWalletFeature.IssuerIdSetting]);
        services.AddSingleton(feature);
        services.AddSingleton<GoogleWalletHealth>(); // what /api/health reads, with Google on or off
        services.AddHostedService<GoogleWalletStartupNotice>();
        if (!feature.Enabled)
        {
            return services;
        }

        services.AddGoogleWalletClient(configuration.GetSection(Section));
        services.AddOptions<GoogleWalletOptions>().PostConfigure<IOptions<WalletPassesOptions>>(DefaultOriginsToPublicBaseUrl);
        services.AddSingleton<ITemplateRule, GoogleTemplateRule>();
        services.AddSingleton<GooglePassContent>();
        services.AddSingleton<GoogleClassSync>();
        services.AddHostedService(provider => provider.GetRequiredService<GoogleClassSync>());
        services.AddSingleton<GoogleObjectSync>();
        services.AddSingleton<GoogleSyncWorker>();
        services.AddSingleton<IPassChangeNotifier, GooglePassNotifier>();
        services.AddSingleton<GoogleCallbacks>();
        services.AddSingleton<Storage.IRetentionSweep, GoogleCallbackNonceSweep>();
        return services;
    }

    /// <summary>No origins configured: the save button may show on the service's own pages (its public origin).</summary>
    private static void DefaultOriginsToPublicBaseUrl(GoogleWalletOptions google, IOptions<WalletPassesOptions> app)
    {
        if (google.Origins.Count == 0 && Uri.TryCreate(app.Value.PublicBaseUrl, UriKind.Absolute, out var publicBaseUrl))
        {
            google.Origins.Add(publicBaseUrl.GetLeftPart(UriPartial.Authority));
        }
    }
}

/// <summary>Google Wallet needs a square program logo (it is required on the class).</summary>
public sealed class GoogleTemplateRule : ITemplateRule
{
    public const string ProgramLogoRequired = "images.programLogo (a square PNG, shown cropped to a circle) is required for Google Wallet.";

    public IEnumerable<string> Check(ProgramTemplate programTemplate) =>
        programTemplate.Images.ProgramLogo is null ? [ProgramLogoRequired] : [];
}

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
