using Microsoft.Extensions.Options;
using WalletPasses.Jobs;
using WalletPasses.Members;
using WalletPasses.Templates;

namespace WalletPasses.Google;

public static class GoogleWalletRegistration
{
    public const string Section = GoogleWalletOptions.Section;

    /// <summary>
    /// Google Wallet when <c>WalletPasses:Google:IssuerId</c> is set (then the service-account key is required and
    /// checked at start-up); otherwise only <see cref="GoogleWalletFeature"/> (disabled) and the start-up notice.
    /// The class follows the template through <see cref="GoogleClassSyncJob"/>, a periodic job (no start-up work).
    /// </summary>
    public static IServiceCollection AddGoogle(this IServiceCollection services, IConfiguration configuration)
    {
        var feature = new GoogleWalletFeature(configuration[GoogleWalletFeature.IssuerIdSetting]);
        services.AddSingleton(feature);
        services.AddSingleton<GoogleWalletHealth>(); // what /api/health reads, with Google on or off
        services.AddHostedService<GoogleWalletStartupNotice>();
        services.AddPeriodicJob<GoogleClassSyncJob>(); // with Google off too: one timer function whatever the settings
        if (!feature.Enabled)
        {
            return services;
        }

        services.AddGoogleWalletClient(configuration.GetSection(Section));
        services.AddOptions<GoogleWalletOptions>().PostConfigure<IOptions<WalletPassesOptions>>(DefaultOriginsToPublicBaseUrl);
        services.AddSingleton<ITemplateRule, GoogleTemplateRule>();
        services.AddSingleton<GooglePassContent>();
        services.AddSingleton<GoogleClassSync>();
        services.AddSingleton<GoogleObjectSync>();
        services.AddSingleton<GoogleSyncWorker>();
        services.AddSingleton<IPassChangeNotifier, GooglePassNotifier>();
        services.AddSingleton<IHeldPlatformAlerts, GoogleHeldAlerts>();
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
