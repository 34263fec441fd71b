using Microsoft.Extensions.Options;

namespace WalletPasses;

/// <summary>The service-wide settings, section <c>WalletPasses</c>.</summary>
public sealed class WalletPassesOptions
{
    public const string Section = "WalletPasses";
    public const string DevelopmentSecretPrefix = "dev-only-";

    /// <summary>The externally visible base URL; pass web service URLs and customer links derive from it.</summary>
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>Which program template (blob folder) this deployment issues passes for.</summary>
    public string ProgramId { get; set; } = "default";

    /// <summary>Secret from which link-signing and authentication-token keys are derived (at least 32 characters).</summary>
    public string SigningSecret { get; set; } = "";

    /// <summary>How long a customer's pass download link stays valid.</summary>
    public TimeSpan PassLinkLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the program template in Blob Storage is checked for changes.</summary>
    public TimeSpan TemplateRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    public Uri BaseUri => new(PublicBaseUrl.TrimEnd('/') + "/");
}

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
        else if (environment.IsProduction() && Security.SecretStrength.IsWeak(options.SigningSecret))
        {
            failures.Add($"WalletPasses:SigningSecret is too predictable (too few different characters): in Production use a random value of at least 32 characters ({Security.SecretStrength.Advice}).");
        }

        if (string.IsNullOrWhiteSpace(options.ProgramId) || options.ProgramId.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_'))
        {
            failures.Add("WalletPasses:ProgramId must be letters, digits, '-' or '_'.");
        }

        if (options.PassLinkLifetime <= TimeSpan.Zero)
        {
            failures.Add("WalletPasses:PassLinkLifetime must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
