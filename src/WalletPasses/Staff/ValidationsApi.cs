using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WalletPasses.Activity;
using WalletPasses.Http;
using WalletPasses.Popups;
using WalletPasses.Programs;
using WalletPasses.Security;
using WalletPasses.Telemetry;
using WalletPasses.Templates;

namespace WalletPasses.Staff;

/// <summary><c>POST /api/validations</c> (staff key): is this scanned barcode a valid pass, and whose.</summary>
public static class ValidationsApi
{
    public const int MaxBodyBytes = 4 * 1024;

    public const string ValidationsRoute = "validations";

    public static RouteGroupBuilder MapValidationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(ValidationsRoute)
            .RequireAuthorization(ApiKeyAuthentication.StaffPolicy)
            .RequireRateLimiting(StaffRateLimiting.Policy);
        api.MapPost("/", PostValidation);
        return api;
    }

    public static async Task<Results<Ok<ValidationResult>, ValidationProblem, ProblemHttpResult>> PostValidation(
        HttpRequest request,
        ClaimsPrincipal user,
        PassChecker checker,
        RedemptionLedger ledger,
        ScanLog scans,
        ProgramTemplates templates,
        PopupStore popups,
        StaffKeyStore keys,
        ProgramRegistry programs,
        IOptions<WalletPassesOptions> options,
        TimeProvider time,
        WalletPassesTelemetry telemetry,
        CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<ValidationInput>(request, MaxBodyBytes, cancellationToken);
        if (body.Problem is { } problem)
        {
            return problem.Result;
        }

        var input = body.Value!;
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(input.Barcode))
        {
            errors["barcode"] = ["barcode (the scanned text) is required."];
        }

        if (input.Location is not null && StaffInput.NameError("location", input.Location) is { } locationError)
        {
            errors["location"] = [locationError];
        }

        if (input.PopupId is not null && !await IsStaffPopupAsync(input.PopupId, user, keys, programs, popups, cancellationToken))
        {
            errors["popupId"] = ["popupId is not a pop-up of a program this staff key works in (pick one from GET /api/staff/popups)."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var check = await checker.CheckAsync(input.Barcode!, user, cancellationToken);
        telemetry.Validated(check.Valid, check.Reason);
        var now = time.GetUtcNow();
        StaffMemberView? member = null;
        IReadOnlyList<PerkView> perks = [];
        if (check.Valid)
        {
            var template = (await templates.ForMember(check.Member!.MemberId).GetCurrentAsync(cancellationToken)).Template;
            var language = StaffViews.Language(request, template);
            member = StaffViews.MemberView(check.Member!, template, language);
            perks = await PerksAsync(check.Member!.MemberId, template.FindTier(check.Member.Profile.Tier), template, language, ledger, now, cancellationToken);
        }

        var scanned = check.Member is { } holder ? ProgramMember.Of(holder.MemberId, options.Value.ProgramId) : null;
        var scan = new PassScanned(
            Guid.NewGuid().ToString("N"), now, input.Location, user.Identity!.Name!, check.Valid, check.Reason, check.SerialNumber, scanned?.MemberId)
        {
            PopupId = input.PopupId,
            ProgramId = scanned?.ProgramId,
        };
        await scans.RecordAsync(scan, cancellationToken);
        return TypedResults.Ok(new ValidationResult(check.Valid, check.Reason, member, perks, scan.Id, now, check.Valid ? check.SerialNumber : null));
    }

    /// <summary>Whether the pop-up is one of a program the staff key works in (as <c>GET /api/staff/popups</c> lists them).</summary>
    private static async Task<bool> IsStaffPopupAsync(string popupId, ClaimsPrincipal user, StaffKeyStore keys, ProgramRegistry programs, PopupStore popups, CancellationToken cancellationToken)
    {
        foreach (var programId in await StaffPrograms.OfAsync(user, keys, programs, cancellationToken))
        {
            if (await popups.ExistsAsync(programId, popupId, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<IReadOnlyList<PerkView>> PerksAsync(
        string memberId, TierTemplate? tier, ProgramTemplate template, string language, RedemptionLedger ledger, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (tier is null)
        {
            return [];
        }

        var claims = await ledger.ClaimsAsync(memberId, tier.Perks, now, cancellationToken);
        return tier.Perks.Select(perk =>
        {
            var claim = claims.GetValueOrDefault(perk.Id);
            return new PerkView(perk.Id, StaffViews.PerkTitle(template, perk.Id, language), perk.Redemption, claim is null, claim?.RedeemedAt);
        }).ToArray();
    }
}
