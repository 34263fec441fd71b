using Microsoft.AspNetCore.Http.HttpResults;
using WalletPasses.Http;
using WalletPasses.Members;
using WalletPasses.Programs;
using WalletPasses.Security;

namespace WalletPasses.Apple;

/// <summary>
/// The customer-facing download of a member's Apple pass through a signed, expiring link, and the backend's
/// revocation of a pass's authenticationToken.
/// </summary>
public static class ApplePassApi
{
    /// <summary>The customer's signed download link; <see cref="PassLinks"/> makes the links.</summary>
    public const string PassRoute = "apple/passes/{serialNumber}";

    /// <summary>The backend's revocation of one member's pass token (a leaked pass).</summary>
    public const string RevokeTokenRoute = "members/{memberId}/apple-pass/revoke-token";

    /// <summary>The same for a member of a given program.</summary>
    public const string ProgramRevokeTokenRoute = ProgramRoutes.Prefix + RevokeTokenRoute;

    public static IEndpointRouteBuilder MapApplePassApi(this IEndpointRouteBuilder app)
    {
        app.MapMethods(PassRoute, [HttpMethods.Get, HttpMethods.Head], DownloadPass)
            .AllowAnonymous()
            .WithName("DownloadApplePass")
            .WithCustomerErrorPages();
        var backend = app.MapGroup("").RequireAuthorization(ApiKeyAuthentication.BackendPolicy).RequireKnownProgram().RequireProgramOfBackendKey().RefuseRetiredProgramChanges();
        backend.MapPost(RevokeTokenRoute, RevokeAuthenticationToken);
        backend.MapPost(ProgramRevokeTokenRoute, RevokeAuthenticationToken);
        return app;
    }

    public static async Task<Results<PkPassResult, ProblemHttpResult>> DownloadPass(
        string serialNumber,
        string? expires,
        string? tag,
        string? signature,
        PassLinks links,
        MemberStore members,
        ApplePasses passes,
        ProgramRegistry programs,
        CancellationToken cancellationToken)
    {
        if (links.Check(PassLinkKind.ApplePass, serialNumber, expires, tag, signature).ToProblem() is { } linkProblem)
        {
            return linkProblem;
        }

        var holder = await members.FindPassHolderAsync(serialNumber, cancellationToken);
        if (holder is null || !links.IsCurrent(tag, holder.Pass))
        {
            // Signed link, but the member got a new pass since (erased and back), or its token was revoked since.
            return PassLinkCheckResults.NoLongerAvailable();
        }

        if (await programs.IsRetiredMemberAsync(holder.MemberId, cancellationToken))
        {
            return PassLinkCheckResults.ProgramEnded();
        }

        return new PkPassResult(holder, passes);
    }

    /// <summary>
    /// Replaces the authenticationToken and the barcode of the member's current pass (a leaked pass): the old token is
    /// refused from now on, the pass's device registrations are removed, the old barcode checks as outdated, and the pass
    /// from the member's link carries the new token (the customer adds it again). 404 for an unknown or erased member.
    /// </summary>
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> RevokeAuthenticationToken(
        string memberId, ProgramScope program, PassTokenRevocation revocation, CancellationToken cancellationToken)
    {
        if (MemberValidation.MemberIdError(memberId) is { } idError)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["memberId"] = [idError] });
        }

        return await revocation.RevokeAsync(program.StorageId(memberId), cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown member", detail: $"No member '{memberId}'.");
    }
}
