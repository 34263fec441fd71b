using System.Net;
using Microsoft.AspNetCore.Mvc;

namespace WalletPasses.Http;

/// <summary>
/// A refusal as a small HTML page for a customer on a phone: the problem's title and detail (written for people), what
/// to do next, nothing else (no trace id, no script, no style, no external resource).
/// </summary>
public sealed class CustomerErrorPage(ProblemDetails problem) : IResult
{
    private const string ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public int StatusCode => problem.Status ?? StatusCodes.Status500InternalServerError;

    public string Body => $"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{Encode(problem.Title ?? "Not available")}</title>
        </head>
        <body>
        <h1>{Encode(problem.Title ?? "Not available")}</h1>
        <p>{Encode(problem.Detail ?? "")}</p>
        <p>{Encode(NextStep)}</p>
        </body>
        </html>
        """;

    private string NextStep => StatusCode switch
    {
        StatusCodes.Status503ServiceUnavailable or StatusCodes.Status429TooManyRequests => "Please try again in a minute.",
        _ => "Open the link in the latest message you received about your card, or ask for a new link.",
    };

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        return HttpMethods.IsHead(httpContext.Request.Method) ? Task.CompletedTask : response.WriteAsync(Body, httpContext.RequestAborted);
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
