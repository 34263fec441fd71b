using Microsoft.Extensions.Options;
using WalletPasses.Google;
using WalletPasses.Templates;

namespace WalletPasses.Conformance;

/// <summary>What a template is checked against beyond itself: the deployment's settings and platform builders.</summary>
public sealed record TemplateConformanceContext
{
    /// <summary>PublicBaseUrl: the pass's webServiceURL and the base of the image URLs Google fetches.</summary>
    public required Uri BaseUri { get; init; }

    /// <summary>The real Google builders; null when Google Wallet is off, and then no Google rule runs.</summary>
    public GooglePassContent? Google { get; init; }

    /// <summary>The real save-link builder (with Google on), used to measure the longest save link.</summary>
    public SaveJwtBuilder? SaveLinks { get; init; }

    /// <summary>How long a save link lives (its JWT's <c>exp</c>).</summary>
    public TimeSpan SaveLinkLifetime { get; init; } = TimeSpan.FromDays(30);

    /// <summary>The checks capabilities add (such as: the pass certificate matches the template's pass type and team).</summary>
    public IReadOnlyList<ITemplateRule> Rules { get; init; } = [];

    public DateTimeOffset Now { get; init; } = DateTimeOffset.UnixEpoch;

    /// <summary>The context of this deployment: its PublicBaseUrl, its Google builders when Google Wallet is on, its template rules.</summary>
    public static TemplateConformanceContext ForDeployment(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<WalletPassesOptions>>().Value;
        return new TemplateConformanceContext
        {
            BaseUri = options.BaseUri,
            Google = services.GetService<GooglePassContent>(),
            SaveLinks = services.GetService<SaveJwtBuilder>(),
            SaveLinkLifetime = options.PassLinkLifetime,
            // GoogleTemplateRule's check (a program logo) is GoogleTemplateRules', reported at images.programLogo.
            Rules = services.GetServices<ITemplateRule>().Where(rule => rule is not GoogleTemplateRule).ToArray(),
            Now = services.GetRequiredService<TimeProvider>().GetUtcNow(),
        };
    }
}
