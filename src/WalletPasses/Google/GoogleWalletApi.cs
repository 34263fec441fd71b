using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using WalletPasses.Apple;
using WalletPasses.Http;
using WalletPasses.Members;
using WalletPasses.Programs;

namespace WalletPasses.Google;

/// <summary>
/// The customer's "Add to Google Wallet" link and Google's save/delete callbacks. Mapped only when Google
/// Wallet is configured; an Apple-only deployment answers 404 under <c>/api/google</c>.
/// </summary>
public static class GoogleWalletApi
{
    /// <summary>A real callback is about 1.5 KB.</summary>
    public const int MaxCallbackBodyBytes = 16 * 1024;

    /// <summary>The save link's route; <see cref="PassLinkKind.GoogleSave"/> makes its links.</summary>
    public const string SaveRoute = "google/save/{serialNumber}";
    public const string CallbacksRoute = "google/callbacks";

    public static IEndpointRouteBuilder MapGoogleWalletApi(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<GoogleWalletFeature>().Enabled)
        {
            return app;
        }

        app.MapGet(SaveRoute, SaveToWallet).AllowAnonymous().WithCustomerErrorPages();
        app.MapPost(CallbacksRoute, ReceiveCallback).AllowAnonymous();
        return app;
    }

    /// <summary>
    /// 302 to <c>https://pay.google.com/gp/v/save/&lt;jwt&gt;</c>, minted now for the member's object, which
    /// exists by then (normally since the member was created; if not, it is created first, or 503).
    /// </summary>
    public static async Task<Results<RedirectHttpResult, ProblemHttpResult>> SaveToWallet(
        string serialNumber,
        string? expires,
        string? tag,
        string? signature,
        HttpContext context,
        PassLinks links,
        MemberStore members,
        GoogleSyncWorker sync,
        GooglePassContent content,
        SaveJwtBuilder saveJwt,
        ProgramRegistry programs,
        CancellationToken cancellationToken)
    {
        if (links.Check(PassLinkKind.GoogleSave, serialNumber, expires, tag, signature).ToProblem() is { } linkProblem)
        {
            return linkProblem;
        }

        var member = await members.FindByCurrentSerialNumberAsync(serialNumber, cancellationToken);
        if (member is null || member.Deleted || !links.IsCurrent(tag, member.Pass))
        {
            return PassLinkCheckResults.NoLongerAvailable();
        }

        if (await programs.IsRetiredMemberAsync(member.MemberId, cancellationToken))
        {
            return PassLinkCheckResults.ProgramEnded();
        }

        if (!await sync.EnsureIssuedAsync(member, cancellationToken))
        {
            RetryAfter.Set(context.Response, RetryAfter.Default);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "Google Wallet is not reachable", detail: "Try again in a minute.");
        }

        // The JWT carries its issue time: never cache the redirect. It expires with the link (checked above, so a number).
        context.Response.Headers.CacheControl = "no-store";
        var linkExpiresAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(expires!, NumberStyles.None, CultureInfo.InvariantCulture));
        return TypedResults.Redirect(saveJwt.CreateSaveUrl(content.ObjectIdFor(serialNumber), content.ClassIdOfMember(member.MemberId), linkExpiresAt).AbsoluteUri);
    }

    /// <summary>200 for a genuine callback (also a repeated or irrelevant one), 401 for anything that does not verify.</summary>
    public static async Task<Results<Ok, ProblemHttpResult>> ReceiveCallback(
        HttpRequest request, GoogleCallbacks callbacks, CancellationToken cancellationToken)
    {
        // Any content type: what counts is the signature, checked over the exact bytes received.
        var body = await JsonBody.ReadBytesAsync(request, MaxCallbackBodyBytes, cancellationToken);
        if (body.Problem is { } problem)
        {
            return problem.Result;
        }

        switch (await callbacks.HandleAsync(Encoding.UTF8.GetString(body.Raw.Span), cancellationToken))
        {
            case CallbackOutcome.Rejected:
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
            case CallbackOutcome.KeysUnavailable:
                RetryAfter.Set(request.HttpContext.Response, HttpCallbackRootKeyProvider.RetryAfter); // the failed fetch is kept that long
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status503ServiceUnavailable, title: "Cannot verify callbacks right now", detail: "Google's signing keys are unavailable.");
            default:
                return TypedResults.Ok();
        }
    }
}
