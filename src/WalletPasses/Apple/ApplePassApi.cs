using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using WalletPasses.Members;
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

    public static IEndpointRouteBuilder MapApplePassApi(this IEndpointRouteBuilder app)
    {
        app.MapMethods(PassRoute, [HttpMethods.Get, HttpMethods.Head], DownloadPass)
            .AllowAnonymous()
            .WithName("DownloadApplePass");
        app.MapPost(RevokeTokenRoute, RevokeAuthenticationToken)
            .RequireAuthorization(ApiKeyAuthentication.BackendPolicy);
        return app;
    }

    public static async Task<Results<PkPassResult, ProblemHttpResult>> DownloadPass(
        string serialNumber,
        string? expires,
        string? signature,
        PassLinks links,
        MemberStore members,
        ApplePasses passes,
        CancellationToken cancellationToken)
    {
        if (links.Check(serialNumber, expires, signature).ToProblem() is { } linkProblem)
        {
            return linkProblem;
        }

        var holder = await members.FindPassHolderAsync(serialNumber, cancellationToken);
        if (holder is null)
        {
            // Signed link, but the member got a new pass since (erased and back).
            return TypedResults.Problem(statusCode: StatusCodes.Status410Gone, title: "Pass no longer available");
        }

        return new PkPassResult(holder, passes);
    }

    /// <summary>
    /// Replaces the authenticationToken of the member's current pass (a leaked pass): the old token is refused from
    /// now on, the pass's device registrations are removed, and the pass from the member's link carries the new
    /// token (the customer adds it again). 404 for an unknown or erased member.
    /// </summary>
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> RevokeAuthenticationToken(
        string memberId, PassTokenRevocation revocation, CancellationToken cancellationToken)
    {
        if (MemberValidation.MemberIdError(memberId) is { } idError)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["memberId"] = [idError] });
        }

        return await revocation.RevokeAsync(memberId, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown member", detail: $"No member '{memberId}'.");
    }
}

/// <summary>
/// The answer carrying a member's current pass, for the download link and the PassKit web service alike:
/// 304 when the client's <c>If-Modified-Since</c> already covers this version (decided before any build),
/// headers only for HEAD, otherwise the signed .pkpass served from the version cache.
/// </summary>
public sealed class PkPassResult(PassHolder holder, ApplePasses passes) : IResult
{
    /// <summary>Whose pass this answers with (for the delivery trace).</summary>
    public PassHolder Holder => holder;

    /// <summary>The version answered (304: the holder's; 200: the one sent, newer if one was committed meanwhile); null before or when none was.</summary>
    public long? AnsweredVersion { get; private set; }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var headers = response.GetTypedHeaders();
        var lastModified = await passes.LastModifiedAsync(holder.Pass, httpContext.RequestAborted);
        headers.LastModified = lastModified;
        headers.CacheControl = new CacheControlHeaderValue { Private = true, NoCache = true };

        // UpdatedAt has whole seconds, like HTTP dates; a version that shares its second with the one before
        // cannot be told apart from it by date, so it is sent whole rather than ever hidden behind a 304.
        // A template published since the device's copy makes it modified too (ApplePasses.LastModifiedOf).
        if (!holder.Pass.SharesSecondWithPrevious && httpContext.Request.GetTypedHeaders().IfModifiedSince >= lastModified)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            AnsweredVersion = holder.Pass.Version;
            return;
        }

        if (await passes.GetAsync(holder, httpContext.RequestAborted) is not { } package)
        {
            // The member got a new pass between the two reads: this serial number is no longer theirs.
            headers.LastModified = null;
            response.StatusCode = StatusCodes.Status410Gone;
            return;
        }

        AnsweredVersion = package.Version;
        headers.LastModified = package.LastModified;
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(package.FileName);
        headers.ContentDisposition = disposition;
        response.ContentType = PkPassBuilder.ContentType;
        response.ContentLength = package.Content.Length;
        if (!HttpMethods.IsHead(httpContext.Request.Method))
        {
            await package.Content.WriteToAsync(response.BodyWriter, httpContext.RequestAborted);
        }
    }
}
