using System.Runtime.CompilerServices;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using WalletPasses.Members;
using WalletPasses.Telemetry;
using WalletPasses.Templates;

namespace WalletPasses.Apple;

/// <summary>A built, signed pass version.</summary>
public sealed record PassPackage(PkPassContent Content, DateTimeOffset LastModified, string FileName);

/// <summary>
/// Builds a member's current pass. A version is built and signed once and then served from memory to
/// every device asking for it; the cache key includes the template version, so a template change
/// rebuilds passes on their next request.
/// </summary>
public sealed class ApplePasses(
    ITemplateSource templates,
    PkPassBuilder builder,
    AuthenticationTokens authenticationTokens,
    IOptions<WalletPassesOptions> options,
    IMemoryCache cache,
    TimeProvider time,
    WalletPassesTelemetry telemetry)
{
    private readonly ConditionalWeakTable<LoadedTemplate, AppleTemplateAssets> _assets = [];

    public async Task<PassPackage> GetAsync(Member member, CancellationToken cancellationToken)
    {
        var template = await templates.GetCurrentAsync(cancellationToken);
        var key = (member.Pass.SerialNumber, member.Pass.Version, template.Version);
        var hit = cache.TryGetValue(key, out PassPackage? cached) && cached is not null;
        telemetry.PassCacheLookup(hit);
        if (hit)
        {
            return cached!;
        }

        var assets = _assets.GetValue(template, t => AppleTemplateAssets.Create(t.Template, t.Images));
        var content = builder.Build(assets, ContentOf(member), time.GetUtcNow());
        telemetry.PassSigned();
        var package = new PassPackage(content, member.Pass.UpdatedAt, FileNameOf(template.Template));
        cache.Set(key, package, new MemoryCacheEntryOptions { Size = content.OwnBytes, SlidingExpiration = TimeSpan.FromMinutes(10) });
        return package;
    }

    public PassContent ContentOf(Member member) => new()
    {
        SerialNumber = member.Pass.SerialNumber,
        AuthenticationToken = authenticationTokens.For(member.Pass),
        WebServiceUrl = new Uri(options.Value.BaseUri, "api/passkit"),
        BarcodeMessage = member.Pass.BarcodeMessage,
        BarcodeAltText = member.Pass.BarcodeAltText,
        DisplayName = member.Profile.DisplayName,
        Points = member.Profile.Points,
        TierId = member.Profile.Tier,
        ReferralUrl = member.Profile.ReferralUrl,
        Offers = member.Offers.Select(o => new PassOffer(o.Id, o.Title, o.Text, o.ExpiresAt)).ToArray(),
        Voided = member.Pass.Voided,
        Silent = member.Pass.Silent,
    };

    private static string FileNameOf(ProgramTemplate template)
    {
        var name = new string(template.ProgramName.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray()).Trim('-');
        return (name.Length == 0 ? "pass" : name) + ".pkpass";
    }
}
