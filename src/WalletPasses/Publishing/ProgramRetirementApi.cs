using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WalletPasses.Programs;
using WalletPasses.Security;

namespace WalletPasses.Publishing;

/// <summary>
/// The operator's retirement of one program of the deployment (a brand that ends), beside its template routes and
/// guarded as they are. Recorded on the program's row of the programs table, so every instance follows within
/// <see cref="ProgramRegistry.RefreshInterval"/>; there is no way back (a retired id is not added again). Being
/// irreversible for every holder, it is the operator's act: a backend key limited to programs
/// (<c>WalletPasses:ApiKeys:BackendPrograms</c>), a brand's backend, may change its program but not end it.
/// </summary>
public static class ProgramRetirementApi
{
    public const string RetireRoute = "programs/{programId}/retire";

    public static IEndpointRouteBuilder MapProgramRetirementApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(RetireRoute, Retire).RequireAuthorization(ApiKeyAuthentication.BackendPolicy).RequireProgramOfBackendKey();
        return app;
    }

    /// <summary>
    /// Retires the program: 200 with when (the same for a repeated call), 404 for an unknown program, 409 for the default
    /// one, 403 for a backend key limited to programs (another program than its own is 404 already, as for any route).
    /// </summary>
    public static async Task<Results<Ok<ProgramRetirementDocument>, ProblemHttpResult>> Retire(
        string programId, ClaimsPrincipal backend, IOptionsMonitor<ApiKeyOptions> keys, ProgramRegistry programs, CancellationToken cancellationToken)
    {
        if (BackendKeyPrograms.Of(backend, keys.CurrentValue) is not null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Retiring takes an unlimited backend key",
                detail: "This backend key is limited to some programs (WalletPasses:ApiKeys:BackendPrograms): it may change its programs but not retire one, which no one can undo. Use a backend key the operator keeps, one not listed under WalletPasses:ApiKeys:BackendPrograms.");
        }

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
