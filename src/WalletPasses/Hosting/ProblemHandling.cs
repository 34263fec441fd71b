using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using WalletPasses.Storage;
using WalletPasses.Http;

namespace WalletPasses.Hosting;

/// <summary>
/// Every error answer is RFC 9457 problem details; framework rejections (bad request line, body too
/// large for Kestrel) keep their 4xx status, a dependency that is down is a 503 with Retry-After, and
/// nothing internal leaks into a 500 body.
/// </summary>
public static class ProblemHandling
{
    public static IServiceCollection AddWalletPassesProblemDetails(this IServiceCollection services)
    {
        services.AddExceptionHandler<DependencyOutageHandler>();
        return services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions.Remove("exception");
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
        });
    }

    public static IApplicationBuilder UseWalletPassesProblemDetails(this IApplicationBuilder app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = exception => exception switch
            {
                BadHttpRequestException badRequest => badRequest.StatusCode,
                OperationCanceledException => StatusCodes.Status400BadRequest,
                _ => StatusCodes.Status500InternalServerError,
            },
        });
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>
    /// Storage unreachable or overloaded, or a storage call that timed out while the client still waits: 503
    /// with Retry-After (RFC 9110 15.6.4), so callers (Apple's devices, backends, staff pages) try again later.
    /// </summary>
    private sealed class DependencyOutageHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            var timedOut = exception is OperationCanceledException && !httpContext.RequestAborted.IsCancellationRequested;
            if (!(StorageOutage.Is(exception) || timedOut) || httpContext.Response.HasStarted)
            {
                return false;
            }

            httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            RetryAfter.Set(httpContext.Response, StorageOutage.RetryAfter);
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                Exception = exception,
                ProblemDetails =
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Title = "Temporarily unavailable",
                    Detail = "Storage cannot be reached right now. Try again later.",
                },
            });
        }
    }
}
