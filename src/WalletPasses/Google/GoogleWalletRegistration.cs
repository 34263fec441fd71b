using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WalletPasses.Members;
using WalletPasses.Templates;

namespace WalletPasses.Google;

public static class GoogleWalletRegistration
{
    public const string Section = "WalletPasses:Google";

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
        services.AddSingleton<IValidateOptions<GoogleWalletOptions>, GoogleWalletOptionsValidator>();
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

/// <summary>The checks <c>AddGoogleWalletClient</c> leaves out: a key that really is a usable key, sane sync timings.</summary>
public sealed class GoogleWalletOptionsValidator : IValidateOptions<GoogleWalletOptions>
{
    public ValidateOptionsResult Validate(string? name, GoogleWalletOptions options)
    {
        var failures = new List<string>();
        // Only the one key source that is set: neither or both is AddGoogleWalletClient's message.
        if (options.HasKeyJson && !options.HasKeyFile && IsKeyVaultReference(options.ServiceAccountKeyJson))
        {
            failures.Add($"{GoogleWalletRegistration.Section}:ServiceAccountKeyJson is an unresolved Key Vault reference: check that the secret exists and that the app's identity may read it.");
        }
        else if (options.HasKeyJson && !options.HasKeyFile
            && KeyError(() => GoogleServiceAccountKey.Parse(options.ServiceAccountKeyJson), "paste the whole JSON key (it starts with '{') from the Google Cloud console") is { } jsonError)
        {
            failures.Add($"{GoogleWalletRegistration.Section}:ServiceAccountKeyJson: {jsonError}");
        }
        else if (options.HasKeyFile && !options.HasKeyJson && File.Exists(options.ServiceAccountKeyFile)
            && KeyError(() => GoogleServiceAccountKey.Load(options.ServiceAccountKeyFile), "download the service account's JSON key from the Google Cloud console") is { } fileError)
        {
            failures.Add($"{GoogleWalletRegistration.Section}:ServiceAccountKeyFile '{options.ServiceAccountKeyFile}': {fileError}");
        }

        if (options.SyncRetryInterval <= TimeSpan.Zero || options.MaxSyncRetryDelay < options.SyncRetryInterval || options.IssueTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{GoogleWalletRegistration.Section}: SyncRetryInterval and IssueTimeout must be positive and MaxSyncRetryDelay at least SyncRetryInterval.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // App Service hands the app the reference text itself when it cannot resolve it ("Troubleshoot Key Vault references",
    // learn.microsoft.com/azure/app-service/app-service-key-vault-references): a missing secret or no access to it.
    private static bool IsKeyVaultReference(string value) =>
        value.TrimStart().StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase);

    // The messages never quote the key (nor the parser's message, which may): it holds the private key.
    private static string? KeyError(Func<GoogleServiceAccountKey> load, string whereToGetOne)
    {
        GoogleServiceAccountKey key;
        try
        {
            key = load();
        }
        catch (JsonException)
        {
            return $"not JSON; {whereToGetOne}.";
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            return e is InvalidOperationException ? e.Message : "cannot be read.";
        }

        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(key.PrivateKeyPem);
            return null;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return "its private_key is not a PEM RSA private key.";
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
