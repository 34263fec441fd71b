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
