using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using WalletPasses.Members;

namespace WalletPasses.Apple;

/// <summary>
/// The customer-facing download of a member's Apple pass through a signed, expiring link, and the pass
/// lookups the PassKit web service shares with it.
/// </summary>
public static class ApplePassApi
{
    public static IEndpointRouteBuilder MapApplePassApi(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/api/apple/passes/{serialNumber}", [HttpMethods.Get, HttpMethods.Head], DownloadPass)
            .AllowAnonymous()
            .WithName("DownloadApplePass");
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

        var member = await members.FindByCurrentSerialNumberAsync(serialNumber, cancellationToken);
        if (member is null)
        {
            // Signed link, but the member was erased since.
            return TypedResults.Problem(statusCode: StatusCodes.Status410Gone, title: "Pass no longer available");
        }

        return new PkPassResult(member, passes);
    }

    /// <summary>
    /// The member whose current pass has this serial number, if <paramref name="presentedToken"/> is that pass's
    /// authenticationToken (compared in constant time). An unknown serial and a wrong token both give null.
    /// </summary>
    public static async Task<Member?> FindMemberByTokenAsync(string serialNumber, string presentedToken, MemberStore members, CancellationToken cancellationToken)
    {
        var pass = SerialNumbers.IsWellFormed(serialNumber) ? await members.GetPassAsync(serialNumber, cancellationToken) : null;
        return pass is not null && AuthenticationTokens.Matches(presentedToken, pass.AuthenticationTokenHash)
            ? await members.FindByCurrentSerialNumberAsync(serialNumber, cancellationToken)
            : null;
    }
}

/// <summary>
/// The answer carrying a member's current pass, for the download link and the PassKit web service alike:
/// 304 when the client's <c>If-Modified-Since</c> already covers this version (decided before any build),
/// headers only for HEAD, otherwise the signed .pkpass served from the version cache.
/// </summary>
public sealed class PkPassResult(Member member, ApplePasses passes) : IResult
{
    /// <summary>Whose pass version this answers with (for the delivery trace).</summary>
    public Member Member => member;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var headers = response.GetTypedHeaders();
        headers.LastModified = member.Pass.UpdatedAt;
        headers.CacheControl = new CacheControlHeaderValue { Private = true, NoCache = true };

        // UpdatedAt is stored in whole seconds, like HTTP dates, so this comparison is exact.
        if (httpContext.Request.GetTypedHeaders().IfModifiedSince >= member.Pass.UpdatedAt)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        var package = await passes.GetAsync(member, httpContext.RequestAborted);
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(package.FileName);
        headers.ContentDisposition = disposition;
        response.ContentType = PkPassBuilder.ContentType;
        response.ContentLength = package.Content.Length;
        if (!HttpMethods.IsHead(httpContext.Request.Method))
        {
            await package.Content.WriteToAsync(response.Body, httpContext.RequestAborted);
        }
    }
}

public static class SerialNumbers
{
    /// <summary>Serial numbers are 32 lowercase hex digits; anything else is rejected before storage is asked.</summary>
    public static bool IsWellFormed(string? serialNumber) =>
        serialNumber is { Length: 32 } && serialNumber.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}
