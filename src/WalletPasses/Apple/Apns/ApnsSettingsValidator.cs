using Microsoft.Extensions.Options;

namespace WalletPasses.Apple.Apns;

/// <summary>Rejects unusable APNs settings (the <c>Apns*</c> keys of <c>WalletPasses:Apple</c>) at start-up rather than at the first push.</summary>
internal sealed class ApnsSettingsValidator : IValidateOptions<AppleOptions>
{
    private const string Prefix = AppleOptions.Section + ":";

    public ValidateOptionsResult Validate(string? name, AppleOptions options)
    {
        var failures = new List<string>();

        if (options.ApnsBaseUrl is not { IsAbsoluteUri: true } baseUrl || baseUrl.Scheme != Uri.UriSchemeHttps)
        {
            failures.Add($"{Prefix}{nameof(AppleOptions.ApnsBaseUrl)} must be an absolute https URL, for example https://api.push.apple.com.");
        }

        if (!string.IsNullOrWhiteSpace(options.ApnsTrustedRootFile))
        {
            try
            {
                _ = ApnsServerCertificateValidator.LoadTrustedRoots(options.ApnsTrustedRootFile);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or System.Security.Cryptography.CryptographicException)
            {
                failures.Add($"{Prefix}{nameof(AppleOptions.ApnsTrustedRootFile)} '{options.ApnsTrustedRootFile}' is unusable ({ex.Message}): name a readable PEM file of root certificates, or leave it unset outside tests.");
            }
        }

        if (options.ApnsMaxConcurrentPushes < 1)
        {
            failures.Add($"{Prefix}{nameof(AppleOptions.ApnsMaxConcurrentPushes)} must be at least 1, for example 100.");
        }

        if (options.ApnsMaxAttempts < 1)
        {
            failures.Add($"{Prefix}{nameof(AppleOptions.ApnsMaxAttempts)} must be at least 1 (the first attempt counts), for example 4.");
        }

        if (options.ApnsInitialRetryDelay < TimeSpan.Zero || options.ApnsMaxRetryDelay < options.ApnsInitialRetryDelay)
        {
            failures.Add($"{Prefix}{nameof(AppleOptions.ApnsInitialRetryDelay)} must not be negative nor exceed {nameof(AppleOptions.ApnsMaxRetryDelay)}, for example 00:00:00.500 and 00:00:10.");
        }

        if (options.ApnsRequestTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{Prefix}{nameof(AppleOptions.ApnsRequestTimeout)} must be positive, for example 00:00:15.");
        }

        if (options.ApnsConnectionLifetime <= TimeSpan.Zero)
        {
            failures.Add($"{Prefix}{nameof(AppleOptions.ApnsConnectionLifetime)} must be positive, for example 01:00:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
