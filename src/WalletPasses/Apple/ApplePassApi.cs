using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using WalletPasses.Members;

namespace WalletPasses.Apple;

/// <summary>The customer-facing download of a member's Apple pass through a signed, expiring link.</summary>
public static class ApplePassApi
{
    public static IEndpointRouteBuilder MapApplePassApi(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/api/apple/passes/{serialNumber}", [HttpMethods.Get, HttpMethods.Head], DownloadPass)
            .AllowAnonymous()
            .WithName("DownloadApplePass");
        return app;
    }

    public static async Task<Results<PushStreamHttpResult, EmptyHttpResult, ProblemHttpResult>> DownloadPass(
        string serialNumber,
        string? expires,
        string? signature,
        HttpContext context,
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

        var package = await passes.GetAsync(member, cancellationToken);
        var headers = context.Response.GetTypedHeaders();
        headers.LastModified = package.LastModified;
        headers.CacheControl = new CacheControlHeaderValue { Private = true, NoCache = true };
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(package.FileName);
        headers.ContentDisposition = disposition;
        context.Response.ContentLength = package.Content.Length;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.ContentType = PkPassBuilder.ContentType;
            return TypedResults.Empty;
        }

        return TypedResults.Stream(stream => package.Content.WriteToAsync(stream, context.RequestAborted), PkPassBuilder.ContentType);
    }

    /// <summary>The member whose current pass has this serial number, if any.</summary>
    public static Task<Member?> FindMemberAsync(string serialNumber, MemberStore members, CancellationToken cancellationToken) =>
        members.FindByCurrentSerialNumberAsync(serialNumber, cancellationToken);
}

public static class SerialNumbers
{
    /// <summary>Serial numbers are 32 lowercase hex digits; anything else is rejected before storage is asked.</summary>
    public static bool IsWellFormed(string? serialNumber) =>
        serialNumber is { Length: 32 } && serialNumber.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}
