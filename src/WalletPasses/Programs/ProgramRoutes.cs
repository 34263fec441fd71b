using Microsoft.AspNetCore.Http.HttpResults;

namespace WalletPasses.Programs;

/// <summary>The <c>/api/programs/{programId}/…</c> prefix of member routes, and its one check that the program exists.</summary>
public static class ProgramRoutes
{
    public const string Prefix = "programs/{" + ProgramScope.RouteValue + "}/";

    /// <summary>
    /// Answers 404 (problem details) for a route whose <c>{programId}</c> this deployment does not have, before the
    /// handler runs; routes without the value (the default program's) pass. The registry is in memory: no storage request.
    /// </summary>
    public static TBuilder RequireKnownProgram<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
            context.HttpContext.GetRouteValue(ProgramScope.RouteValue) is string programId
            && !await context.HttpContext.RequestServices.GetRequiredService<ProgramRegistry>().IsKnownAsync(programId, context.HttpContext.RequestAborted)
                ? UnknownProgram(programId)
                : await next(context));

    /// <summary>
    /// Answers 409 (problem details) for a change (POST, PUT, PATCH) to a retired program's members, template or pop-ups,
    /// before the handler runs: reading (GET) and erasing (DELETE) its members still work. From memory: no storage request.
    /// </summary>
    public static TBuilder RefuseRetiredProgramChanges<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
            context.HttpContext.GetRouteValue(ProgramScope.RouteValue) is string programId
            && !HttpMethods.IsGet(context.HttpContext.Request.Method) && !HttpMethods.IsHead(context.HttpContext.Request.Method) && !HttpMethods.IsDelete(context.HttpContext.Request.Method)
            && await context.HttpContext.RequestServices.GetRequiredService<ProgramRegistry>().FindAsync(programId, context.HttpContext.RequestAborted) is { RetiredAt: { } retiredAt }
                ? RetiredProgram(programId, retiredAt)
                : await next(context));

    /// <summary>The answer for a change to a retired program.</summary>
    public static ProblemHttpResult RetiredProgram(string programId, DateTimeOffset retiredAt) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "Program retired",
            detail: $"Program '{programId}' was retired on {retiredAt:yyyy-MM-dd}: its members, template and pop-ups no longer change (its members can still be read and erased).");

    /// <summary>The answer for a program this deployment does not have.</summary>
    public static ProblemHttpResult UnknownProgram(string programId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown program", detail: $"This deployment has no program '{programId}'.");
}
