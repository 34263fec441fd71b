using Microsoft.Extensions.Options;

namespace WalletPasses.Apple.Apns;

/// <summary>Rejects unusable APNs settings at startup rather than at the first push.</summary>
internal sealed class ApnsOptionsValidator : IValidateOptions<ApnsOptions>
{
    public ValidateOptionsResult Validate(string? name, ApnsOptions options)
    {
        var failures = new List<string>();

        if (options.ApnsBaseUrl is not { IsAbsoluteUri: true } baseUrl || baseUrl.Scheme != Uri.UriSchemeHttps)
        {
            failures.Add($"{nameof(ApnsOptions.ApnsBaseUrl)} must be an absolute https URL.");
        }

        if (!string.IsNullOrWhiteSpace(options.ApnsTrustedRootFile))
        {
            try
            {
                _ = ApnsServerCertificateValidator.LoadTrustedRoots(options.ApnsTrustedRootFile);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or System.Security.Cryptography.CryptographicException)
            {
                failures.Add($"{nameof(ApnsOptions.ApnsTrustedRootFile)} '{options.ApnsTrustedRootFile}' is unusable: {ex.Message}");
            }
        }

        if (options.ApnsMaxConcurrentPushes < 1)
        {
            failures.Add($"{nameof(ApnsOptions.ApnsMaxConcurrentPushes)} must be at least 1.");
        }

        if (options.ApnsMaxAttempts < 1)
        {
            failures.Add($"{nameof(ApnsOptions.ApnsMaxAttempts)} must be at least 1.");
        }

        if (options.ApnsInitialRetryDelay < TimeSpan.Zero || options.ApnsMaxRetryDelay < options.ApnsInitialRetryDelay)
        {
            failures.Add($"{nameof(ApnsOptions.ApnsInitialRetryDelay)} must not be negative nor exceed {nameof(ApnsOptions.ApnsMaxRetryDelay)}.");
        }

        if (options.ApnsRequestTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{nameof(ApnsOptions.ApnsRequestTimeout)} must be positive.");
        }

        if (options.ApnsConnectionLifetime <= TimeSpan.Zero)
        {
            failures.Add($"{nameof(ApnsOptions.ApnsConnectionLifetime)} must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
