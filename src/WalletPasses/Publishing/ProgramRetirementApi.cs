using Microsoft.AspNetCore.Http.HttpResults;
using WalletPasses.Programs;
using WalletPasses.Security;

namespace WalletPasses.Publishing;

/// <summary>
/// The operator's retirement of one program of the deployment (a brand that ends), beside its template routes and
/// guarded as they are. Recorded on the program's row of the programs table, so every instance follows within
/// <see cref="ProgramRegistry.RefreshInterval"/>; there is no way back (a retired id is not added again).
/// </summary>
public static class ProgramRetirementApi
{
    public const string RetireRoute = "programs/{programId}/retire";

    public static IEndpointRouteBuilder MapProgramRetirementApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(RetireRoute, Retire).RequireAuthorization(ApiKeyAuthentication.BackendPolicy).RequireProgramOfBackendKey();
        return app;
    }

    /// <summary>Retires the program: 200 with when (the same for a repeated call), 404 for an unknown program, 409 for the default one.</summary>
    public static async Task<Results<Ok<ProgramRetirementDocument>, ProblemHttpResult>> Retire(string programId, ProgramRegistry programs, CancellationToken cancellationToken)
    {
        var retirement = await programs.RetireAsync(programId, cancellationToken);
        return retirement.Outcome switch
        {
            ProgramRetirementOutcome.Retired => TypedResults.Ok(new ProgramRetirementDocument(programId, retirement.RetiredAt!.Value)),
            ProgramRetirementOutcome.DefaultProgram => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Default program",
                detail: $"Program '{programId}' is this deployment's default program (WalletPasses:ProgramId): it owns the unprefixed routes and the members stored under their bare ids, so it is never retired. Run it down by stopping its events, or retire the deployment."),
            _ => ProgramRoutes.UnknownProgram(programId),
        };
    }
}
