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

    /// <summary>The answer for a program this deployment does not have.</summary>
    public static ProblemHttpResult UnknownProgram(string programId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown program", detail: $"This deployment has no program '{programId}'.");
}
