using Microsoft.Extensions.Options;
using WalletPasses.Programs;

namespace WalletPasses.Security;

/// <summary>Start-up checks of <see cref="WalletPassesOptions"/>, with messages that name the setting to fix.</summary>
public sealed class WalletPassesOptionsValidator(IHostEnvironment environment) : IValidateOptions<WalletPassesOptions>
{
    public ValidateOptionsResult Validate(string? name, WalletPassesOptions options)
    {
        var failures = new List<string>();
        if (!Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var baseUrl) || (baseUrl.Scheme != Uri.UriSchemeHttps && baseUrl.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add("WalletPasses:PublicBaseUrl must be an absolute http(s) URL, for example https://wallet.example.com.");
        }
        else if (baseUrl.Scheme == Uri.UriSchemeHttp && !environment.IsDevelopment())
        {
            failures.Add("WalletPasses:PublicBaseUrl must use https outside Development: Apple Wallet only calls HTTPS web services.");
        }

        if (options.SigningSecret.Length < 32)
        {
            failures.Add("WalletPasses:SigningSecret must be set to a random value of at least 32 characters.");
        }
        else if (options.SigningSecret.StartsWith(WalletPassesOptions.DevelopmentSecretPrefix, StringComparison.Ordinal) && !environment.IsDevelopment())
        {
            failures.Add("WalletPasses:SigningSecret is the development-only example value; configure a real secret outside Development.");
        }
        else if (environment.IsProduction() && SecretStrength.IsWeak(options.SigningSecret))
        {
            failures.Add($"WalletPasses:SigningSecret is too predictable (too few different characters): in Production use a random value of at least 32 characters ({SecretStrength.Advice}).");
        }

        // The same rule as every program id: it names blob folders and storage keys.
        if (ProgramRegistry.IdError(options.ProgramId) is { } programIdError)
        {
            failures.Add($"WalletPasses:ProgramId: {programIdError}");
        }

        if (options.PassLinkLifetime <= TimeSpan.Zero)
        {
            failures.Add("WalletPasses:PassLinkLifetime must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
