using System.Runtime.CompilerServices;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using WalletPasses.Members;
using WalletPasses.Popups;
using WalletPasses.Programs;
using WalletPasses.Telemetry;
using WalletPasses.Templates;

namespace WalletPasses.Apple;

/// <summary>
/// Builds a member's current pass. A version is built and signed once and then served from memory to
/// every device asking for it; the cache key includes the template version and the revision of the program's carried
/// pop-ups, so a template or pop-up change rebuilds passes on their next request. The key's version always comes from the member row just read (every
/// version change, a revoked token included, makes a new version), so no instance serves a version the row has left.
/// </summary>
public sealed class ApplePasses(
    ProgramTemplates templates,
    PkPassBuilder builder,
    AuthenticationTokens authenticationTokens,
    MemberStore members,
    CarriedPopups popups,
    IOptions<WalletPassesOptions> options,
    IMemoryCache cache,
    TimeProvider time,
    WalletPassesTelemetry telemetry)
{
    private readonly ConditionalWeakTable<LoadedTemplate, AppleTemplateAssets> _assets = [];

    /// <summary>
    /// The holder's pass version from memory; else the whole member row is read (once per version and instance) and
    /// its version built, which may be newer than the holder's if one was committed in between: that newer version
    /// is then the answer. Null when the serial number is no longer the member's pass.
    /// </summary>
    public async Task<PassPackage?> GetAsync(PassHolder holder, CancellationToken cancellationToken)
    {
        var template = await templates.ForMember(holder.MemberId).GetAtLeastAsync(holder.Pass.TemplateVersion, cancellationToken);
        var carried = await popups.GetAtLeastAsync(ProgramMembers.ProgramOf(holder.MemberId, options.Value.ProgramId), holder.Pass.PopupRevision, cancellationToken);
        var cached = Cached(holder.Pass, template, carried);
        telemetry.PassCacheLookup(cached is not null);
        if (cached is not null)
        {
            return cached;
        }

        var member = await members.GetAsync(holder.MemberId, cancellationToken);
        if (member?.Pass.SerialNumber != holder.Pass.SerialNumber)
        {
            return null;
        }

        // A version committed since the holder was read may need a newer template and pop-up set than those loaded for
        // the holder's (a bulk re-issue commits the version with the next template): building it with the older one
        // would date the old look with the new version, and the device, told 304 from then on, would keep it.
        template = await templates.ForMember(holder.MemberId).GetAtLeastAsync(member.Pass.TemplateVersion, cancellationToken);
        carried = await popups.GetAtLeastAsync(ProgramMembers.ProgramOf(holder.MemberId, options.Value.ProgramId), member.Pass.PopupRevision, cancellationToken);
        return Cached(member.Pass, template, carried) ?? Build(member, template, carried);
    }

    /// <summary>The Last-Modified date of the holder's pass as it would be served now (see <see cref="LastModifiedOf"/>).</summary>
    public async ValueTask<PassLastModified> LastModifiedAsync(PassHolder holder, CancellationToken cancellationToken) =>
        LastModifiedOf(holder.Pass, await templates.ForMember(holder.MemberId).GetAtLeastAsync(holder.Pass.TemplateVersion, cancellationToken));

    /// <summary>
    /// A pass looks as its version and the published template make it, so it was last modified at the later of the
    /// two: a device that fetches after a publication gets the new look even before its pass is re-issued. Both are
    /// whole seconds, never later than the clock (the publication time is cut to its second, as a version's is). A
    /// publication's second is shared by definition: a copy fetched earlier in that second had the old look.
    /// </summary>
    public static PassLastModified LastModifiedOf(MemberPass pass, LoadedTemplate template)
    {
        if (template.PublishedAt is not { } published)
        {
            return new(pass.UpdatedAt, pass.SharesSecondWithPrevious);
        }

        var publishedSecond = new DateTimeOffset(published.UtcTicks - (published.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        return publishedSecond >= pass.UpdatedAt
            ? new(publishedSecond, SecondShared: true)
            : new(pass.UpdatedAt, pass.SharesSecondWithPrevious);
    }

    private PassPackage? Cached(MemberPass pass, LoadedTemplate template, CarriedPopupSet carried) =>
        cache.TryGetValue((pass.SerialNumber, pass.Version, template.Version, carried.Revision), out PassPackage? cached) ? cached : null;

    private PassPackage Build(Member member, LoadedTemplate template, CarriedPopupSet carried)
    {
        var content = builder.Build(AssetsOf(template), ContentOf(member) with { Popups = carried.For(member.Profile.Tier) }, time.GetUtcNow());
        telemetry.PassSigned();
        var package = new PassPackage(content, member.Pass.Version, LastModifiedOf(member.Pass, template).Date, FileNameOf(template.Template));
        cache.Set((member.Pass.SerialNumber, member.Pass.Version, template.Version, carried.Revision), package, new MemoryCacheEntryOptions { Size = content.OwnBytes, SlidingExpiration = TimeSpan.FromMinutes(10) });
        return package;
    }

    /// <summary>
    /// Builds and signs one throwaway pass for the current template (its assets are kept), so the first member
    /// to download a pass after a start does not wait for the signing path to be compiled and the images hashed.
    /// </summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        var template = await templates.For(options.Value.ProgramId).GetCurrentAsync(cancellationToken);
        builder.Build(AssetsOf(template), new PassContent
        {
            SerialNumber = "warm-up",
            AuthenticationToken = "warm-up-token-not-a-pass",
            WebServiceUrl = new Uri(options.Value.BaseUri, "api/passkit"),
            BarcodeMessage = "warm-up",
            DisplayName = "Warm-up",
            Points = 0,
            TierId = template.Template.Tiers[0].Id,
        }, time.GetUtcNow());
    }

    private AppleTemplateAssets AssetsOf(LoadedTemplate template) =>
        _assets.GetValue(template, t => AppleTemplateAssets.Create(t.Template, t.Images));

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
        Alerts = member.Pass.Alerts,
        AnnouncedTier = member.Announcement,
    };

    private static string FileNameOf(ProgramTemplate template)
    {
        var name = new string(template.ProgramName.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray()).Trim('-');
        return (name.Length == 0 ? "pass" : name) + ".pkpass";
    }
}
