using Microsoft.AspNetCore.Diagnostics;

namespace WalletPasses.Hosting;

/// <summary>
/// Every error answer is RFC 9457 problem details; framework rejections (bad request line, body too
/// large for Kestrel) keep their 4xx status, and nothing internal leaks into a 500 body.
/// </summary>
public static class ProblemHandling
{
    public static IServiceCollection AddWalletPassesProblemDetails(this IServiceCollection services) =>
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions.Remove("exception");
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
        });

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
}
