using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace WalletPasses.Http;

/// <summary>
/// The links a customer opens in a phone's browser (the Apple pass download, the Google save link) answer a refusal
/// (a tampered or expired link, a pass no longer available, a service briefly unavailable) with a short page a person
/// can read, when the browser asks for HTML; API clients still get problem details. The status code is the same.
/// </summary>
public static class CustomerErrorPages
{
    public static RouteHandlerBuilder WithCustomerErrorPages(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            var problem = result as ProblemHttpResult ?? (result as INestedHttpResult)?.Result as ProblemHttpResult;
            if (problem is null)
            {
                return result;
            }

            context.HttpContext.Response.Headers.Vary = HeaderNames.Accept; // one URL, two representations: caches must keep them apart
            return WantsPage(context.HttpContext.Request) ? new CustomerErrorPage(problem.ProblemDetails) : result;
        });

    /// <summary>A browser navigating to the link lists text/html in Accept; a client asking for JSON (or nothing) gets problem details.</summary>
    public static bool WantsPage(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted))
        {
            return false;
        }

        var html = accepted.Where(type => type.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase)).Select(type => type.Quality ?? 1).DefaultIfEmpty(0).Max();
        var json = accepted.Where(type => type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.MediaType.Equals("application/problem+json", StringComparison.OrdinalIgnoreCase))
            .Select(type => type.Quality ?? 1).DefaultIfEmpty(0).Max();
        return html > 0 && html >= json;
    }
}
