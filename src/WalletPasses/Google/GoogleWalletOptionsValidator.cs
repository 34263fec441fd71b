using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WalletPasses.Security;

namespace WalletPasses.Google;

/// <summary>
/// Stops start-up on <c>WalletPasses:Google</c> settings the client cannot work with: the issuer id, exactly one
/// usable service-account key, absolute URLs, rate and retry limits, sane sync timings.
/// </summary>
public sealed class GoogleWalletOptionsValidator : IValidateOptions<GoogleWalletOptions>
{
    private const string Section = GoogleWalletOptions.Section;

    public ValidateOptionsResult Validate(string? name, GoogleWalletOptions options)
    {
        var failures = new List<string>();
        if (options.IssuerId.Length == 0 || !options.IssuerId.All(char.IsAsciiDigit))
        {
            failures.Add($"{Section}:IssuerId must be the numeric Google Wallet issuer id, for example 3388000000012345678.");
        }

        failures.AddRange(KeyFailures(options));

        if (!options.ApiBaseUrl.IsAbsoluteUri || !options.CallbackKeysUrl.IsAbsoluteUri)
        {
            failures.Add($"{Section}:ApiBaseUrl and CallbackKeysUrl must be absolute URLs, for example https://walletobjects.googleapis.com/walletobjects/v1/.");
        }

        if (options.RequestsPerSecond is < 1 or > 1000)
        {
            failures.Add($"{Section}:RequestsPerSecond must be between 1 and 1000, for example 20.");
        }

        if (options.MaxRetryAttempts is < 1 or > 10 || options.RetryBaseDelay <= TimeSpan.Zero || options.MaxRetryDelay < options.RetryBaseDelay)
        {
            failures.Add($"{Section}: MaxRetryAttempts must be 1-10 and 0 < RetryBaseDelay <= MaxRetryDelay, for example 4, 00:00:01 and 00:00:30.");
        }

        if (options.SyncRetryInterval <= TimeSpan.Zero || options.MaxSyncRetryDelay < options.SyncRetryInterval || options.IssueTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{Section}: SyncRetryInterval and IssueTimeout must be positive and MaxSyncRetryDelay at least SyncRetryInterval, for example 00:00:30, 00:00:05 and 01:00:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Exactly one key source, and that one a usable key. The messages never quote the key: it holds the private key.</summary>
    private static IEnumerable<string> KeyFailures(GoogleWalletOptions options)
    {
        if (!options.HasKeyFile && !options.HasKeyJson)
        {
            yield return $"{Section}: set ServiceAccountKeyFile (the path of the service account's JSON key) or ServiceAccountKeyJson (the key's JSON text).";
        }
        else if (options.HasKeyFile && options.HasKeyJson)
        {
            yield return $"{Section}: ServiceAccountKeyFile and ServiceAccountKeyJson are both set; set only one of them.";
        }
        else if (options.HasKeyJson && UnresolvedKeyVaultReferenceValidator.IsReference(options.ServiceAccountKeyJson))
        {
            // Said here as well as by UnresolvedKeyVaultReferenceValidator: Google's settings are validated while the routes
            // are mapped, before the host starts, so this is the message a failed start shows.
            yield return $"{Section}:ServiceAccountKeyJson is an unresolved Key Vault reference: check that the secret exists and that the app's identity may read it.";
        }
        else if (options.HasKeyJson
            && KeyError(() => GoogleServiceAccountKey.Parse(options.ServiceAccountKeyJson), "paste the whole JSON key (it starts with '{') from the Google Cloud console") is { } jsonError)
        {
            yield return $"{Section}:ServiceAccountKeyJson: {jsonError}";
        }
        else if (options.HasKeyFile && !File.Exists(options.ServiceAccountKeyFile))
        {
            yield return $"{Section}:ServiceAccountKeyFile must name an existing service-account JSON key file, for example /home/site/google-key.json.";
        }
        else if (options.HasKeyFile
            && KeyError(() => GoogleServiceAccountKey.Load(options.ServiceAccountKeyFile), "download the service account's JSON key from the Google Cloud console") is { } fileError)
        {
            yield return $"{Section}:ServiceAccountKeyFile '{options.ServiceAccountKeyFile}': {fileError}";
        }
    }

    // Nor the parser's message, which may quote the key.
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
