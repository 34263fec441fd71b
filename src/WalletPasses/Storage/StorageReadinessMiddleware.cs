using WalletPasses.Http;

namespace WalletPasses.Storage;

/// <summary>
/// Every request waits for <see cref="IStorageReadiness.WhenReadyAsync"/> (a completed task once storage is set
/// up), so the host can listen before the set-up has finished. Storage out of reach surfaces as the usual 503
/// (ProblemHandling); a template that stops the app answers 503 too while it shuts down, never 500.
/// </summary>
public static class StorageReadinessMiddleware
{
    public static IApplicationBuilder UseStorageReadiness(this IApplicationBuilder app)
    {
        // A singleton, resolved once at the first request: not while the pipeline is built, which comes before the
        // host starts and validates its options (a start-up failure must keep its own message).
        IStorageReadiness? readiness = null;
        return app.Use((context, next) =>
        {
            readiness ??= context.RequestServices.GetRequiredService<IStorageReadiness>();

            // Once storage is set up (every request but the first few) this adds no await and no allocation.
            var ready = readiness.WhenReadyAsync(context.RequestAborted);
            return ready.IsCompletedSuccessfully ? next(context) : AfterReadyAsync(ready, context, next);
        });
    }

    private static async Task AfterReadyAsync(Task ready, HttpContext context, RequestDelegate next)
    {
        try
        {
            await ready;
        }
        catch (Exception e) when (!StorageOutage.Is(e) && e is not OperationCanceledException)
        {
            // Not an outage (those are the usual 503 with Retry-After): an invalid template, which stops the app; the
            // answer still says when to ask again, as every 503 of the service does.
            RetryAfter.Set(context.Response, RetryAfter.Default);
            await TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready",
                detail: "The program template is invalid; the operator finds what to fix in the log.").ExecuteAsync(context);
            return;
        }

        await next(context);
    }
}
