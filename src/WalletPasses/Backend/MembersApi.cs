using Microsoft.AspNetCore.Http.HttpResults;
using WalletPasses.Apple;
using WalletPasses.Delivery;
using WalletPasses.Google;
using WalletPasses.Http;
using WalletPasses.Members;
using WalletPasses.Notifications;
using WalletPasses.Programs;
using WalletPasses.Security;
using WalletPasses.Staff;
using WalletPasses.Templates;

namespace WalletPasses.Backend;

/// <summary>The loyalty backend's member routes.</summary>
public static class MembersApi
{
    /// <summary>Routes are relative to the <c>api</c> prefix, shared with the Functions app's triggers.</summary>
    public const string MemberRoute = "members/{memberId}";

    /// <summary>A member of a given program; <see cref="MemberRoute"/> is the same for the default program.</summary>
    public const string ProgramMemberRoute = ProgramRoutes.Prefix + MemberRoute;

    public static RouteGroupBuilder MapMembersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").RequireAuthorization(ApiKeyAuthentication.BackendPolicy).RequireKnownProgram().RequireProgramOfBackendKey().RefuseRetiredProgramChanges();
        foreach (var route in new[] { MemberRoute, ProgramMemberRoute })
        {
            api.MapPut(route, PutMember);
            api.MapGet(route, GetMember);
            api.MapDelete(route, DeleteMember);
        }

        return api;
    }

    public static async Task<Results<Created<MemberDocument>, Ok<MemberDocument>, ValidationProblem, ProblemHttpResult>> PutMember(
        string memberId,
        ProgramScope program,
        HttpRequest request,
        MemberStore members,
        ProgramTemplates templates,
        PassLinks links,
        GoogleWalletFeature google,
        PassChanges passChanges,
        CancellationToken cancellationToken)
    {
        if (MemberValidation.MemberIdError(memberId) is { } idError)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["memberId"] = [idError] });
        }

        var body = await JsonBody.ReadAsync<MemberInput>(request, JsonBody.DefaultLimitBytes, cancellationToken);
        if (body.Problem is { } problem)
        {
            return problem.Result;
        }

        ProgramTemplate template;
        try
        {
            template = (await templates.For(program.ProgramId).GetCurrentAsync(cancellationToken)).Template;
        }
        catch (InvalidTemplateException)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "The program has no template yet",
                detail: $"Program '{program.ProgramId}' has no published template: PUT one to /api/programs/{program.ProgramId}/template and publish it first.");
        }

        var errors = MemberValidation.Validate(body.Value!, template, out var profile);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var storageId = program.StorageId(memberId);
        var (member, outcome) = await members.UpsertAsync(storageId, profile!, new NotificationSettingsChange(body.Value!.Notifications, body.Value.TimeZone), body.Value.Sequence, cancellationToken);

        // Also for a PUT that changed nothing (a retry): it finishes what an earlier attempt left pending. Before
        // the answer hands out the links: Google's save link needs the object to exist.
        await passChanges.FinishPendingAsync(storageId, cancellationToken);

        var document = MemberDocument.From(member, links, google);
        return outcome == UpsertOutcome.Created
            ? TypedResults.Created(program.MemberPath(memberId), document)
            : TypedResults.Ok(document);
    }

    public static async Task<Results<Ok<MemberDocument>, ValidationProblem, ProblemHttpResult>> GetMember(
        string memberId, ProgramScope program, MemberStore members, PassLinks links, GoogleWalletFeature google, CancellationToken cancellationToken)
    {
        if (MemberValidation.MemberIdError(memberId) is { } idError)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["memberId"] = [idError] });
        }

        var member = await members.GetAsync(program.StorageId(memberId), cancellationToken);
        return member is null || member.Deleted
            ? UnknownMember(memberId)
            : TypedResults.Ok(MemberDocument.From(member, links, google));
    }

    /// <summary>Voids the member's passes everywhere (devices are told), erases personal data: 204.</summary>
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteMember(
        string memberId, ProgramScope program, MemberStore members, PassChanges passChanges, StaffErasure staff, DeviceRegistrations registrations, CancellationToken cancellationToken)
    {
        if (MemberValidation.MemberIdError(memberId) is { } idError)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["memberId"] = [idError] });
        }

        var storageId = program.StorageId(memberId);
        var before = await members.GetAsync(storageId, cancellationToken);
        if (before is null)
        {
            return UnknownMember(memberId);
        }

        var erased = await members.EraseAsync(storageId, cancellationToken);
        if (erased is not null)
        {
            await staff.EraseAsync(erased, cancellationToken); // also when a retry finds the member erased already

            // A row from before the copy of its devices existed gets it now (also when erased before the upgrade and the
            // DELETE is sent again): the retention sweep finds an erased member's devices by it.
            await registrations.CopyToMemberRowAsync(storageId, cancellationToken);
        }

        // Also for a retried DELETE: devices still waiting to hear of the voided pass hear of it now.
        await passChanges.FinishPendingAsync(storageId, cancellationToken);

        return TypedResults.NoContent();
    }

    private static ProblemHttpResult UnknownMember(string memberId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown member", detail: $"No member '{memberId}'.");
}
