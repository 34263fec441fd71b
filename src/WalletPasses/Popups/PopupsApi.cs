using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WalletPasses.Http;
using WalletPasses.Programs;
using WalletPasses.Security;
using WalletPasses.Templates;

namespace WalletPasses.Popups;

/// <summary>
/// The backend's pop-up routes, for a program (<c>/api/programs/{programId}/popups…</c>) and for the deployment's
/// default program (<c>/api/popups…</c>); the staff page's list of pop-ups is <c>Staff.StaffPopupsApi</c>. A change answers
/// once the new carried revision and its re-issue are recorded (<see cref="CarriedPopups.RefreshAsync"/>); passes
/// follow through the bulk re-issue.
/// </summary>
public static class PopupsApi
{
    public const string ProgramPopupsRoute = "programs/{programId}/popups";
    public const string ProgramPopupRoute = "programs/{programId}/popups/{popupId}";
    public const string PopupsRoute = "popups";
    public const string PopupRoute = "popups/{popupId}";

    private const int MaxBodyBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapPopupsApi(this IEndpointRouteBuilder app)
    {
        var backend = app.MapGroup("").RequireAuthorization(ApiKeyAuthentication.BackendPolicy).RequireProgramOfBackendKey().RefuseRetiredProgramChanges();
        foreach (var (collection, item) in new[] { (ProgramPopupsRoute, ProgramPopupRoute), (PopupsRoute, PopupRoute) })
        {
            backend.MapPost(collection, Create);
            backend.MapGet(collection, List);
            backend.MapGet(item, Get);
            backend.MapPut(item, Update);
            backend.MapDelete(item, Delete);
        }

        return app;
    }

    public static async Task<Results<Created<PopupDocument>, ValidationProblem, ProblemHttpResult>> Create(
        HttpRequest request, PopupStore store, CarriedPopups carried, ProgramTemplates templates,
        IOptions<WalletPassesOptions> options, ProgramRegistry programs, IOptions<PopupsOptions> popupOptions, TimeProvider time, CancellationToken cancellationToken)
    {
        var programId = ProgramOf(request, options.Value);
        if (await UnknownProgramAsync(programId, programs, cancellationToken) is { } unknown)
        {
            return unknown;
        }

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var (popup, problem, invalid) = await ReadAsync(request, id, templates.For(programId), cancellationToken);
        if (problem is not null || invalid is not null)
        {
            return problem is not null ? problem : invalid!;
        }

        if ((await store.ListAsync(programId, cancellationToken)).Count >= popupOptions.Value.MaxPerProgram)
        {
            return Problem(StatusCodes.Status409Conflict, "Too many pop-ups", $"A program keeps at most {popupOptions.Value.MaxPerProgram} pop-ups; delete past ones first.");
        }

        var row = PopupEntity.From(programId, popup!);
        row.CreatedAt = row.UpdatedAt = time.GetUtcNow();
        await store.AddAsync(row, cancellationToken);
        await carried.RefreshAsync(programId, cancellationToken);
        return TypedResults.Created($"/api/{(request.RouteValues.ContainsKey("programId") ? $"programs/{Uri.EscapeDataString(programId)}/" : "")}popups/{id}", Document(programId, popup!, popupOptions.Value, time));
    }

    public static async Task<Results<Ok<PopupList>, ProblemHttpResult>> List(
        HttpRequest request, PopupStore store, IOptions<WalletPassesOptions> options, ProgramRegistry programs, IOptions<PopupsOptions> popupOptions, TimeProvider time, CancellationToken cancellationToken)
    {
        var programId = ProgramOf(request, options.Value);
        if (await UnknownProgramAsync(programId, programs, cancellationToken) is { } unknown)
        {
            return unknown;
        }

        var popups = (await store.ListAsync(programId, cancellationToken)).Select(row => row.ToPopup()).OrderBy(p => p.OpensAt).ThenBy(p => p.Id, StringComparer.Ordinal);
        return TypedResults.Ok(new PopupList([.. popups.Select(p => Document(programId, p, popupOptions.Value, time))]));
    }

    public static async Task<Results<Ok<PopupDocument>, ProblemHttpResult>> Get(
        HttpRequest request, string popupId, PopupStore store, IOptions<WalletPassesOptions> options, ProgramRegistry programs, IOptions<PopupsOptions> popupOptions, TimeProvider time, CancellationToken cancellationToken)
    {
        var programId = ProgramOf(request, options.Value);
        if (await UnknownProgramAsync(programId, programs, cancellationToken) is { } unknown)
        {
            return unknown;
        }

        return PopupValidation.IsPopupId(popupId) && await store.GetAsync(programId, popupId, cancellationToken) is { } row
            ? TypedResults.Ok(Document(programId, row.ToPopup(), popupOptions.Value, time))
            : UnknownPopup(programId, popupId);
    }

    /// <summary>Replaces the pop-up with the body (every field as in a create); passes that carry it follow.</summary>
    public static async Task<Results<Ok<PopupDocument>, ValidationProblem, ProblemHttpResult>> Update(
        HttpRequest request, string popupId, PopupStore store, CarriedPopups carried, ProgramTemplates templates,
        IOptions<WalletPassesOptions> options, ProgramRegistry programs, IOptions<PopupsOptions> popupOptions, TimeProvider time, CancellationToken cancellationToken)
    {
        var programId = ProgramOf(request, options.Value);
        if (await UnknownProgramAsync(programId, programs, cancellationToken) is { } unknown)
        {
            return unknown;
        }

        if (!PopupValidation.IsPopupId(popupId) || await store.GetAsync(programId, popupId, cancellationToken) is not { } existing)
        {
            return UnknownPopup(programId, popupId);
        }

        var (popup, problem, invalid) = await ReadAsync(request, popupId, templates.For(programId), cancellationToken);
        if (problem is not null || invalid is not null)
        {
            return problem is not null ? problem : invalid!;
        }

        var row = PopupEntity.From(programId, popup!);
        row.CreatedAt = existing.CreatedAt;
        row.UpdatedAt = time.GetUtcNow();
        if (!await store.ReplaceAsync(row, cancellationToken))
        {
            return UnknownPopup(programId, popupId);
        }

        await carried.RefreshAsync(programId, cancellationToken);
        return TypedResults.Ok(Document(programId, popup!, popupOptions.Value, time));
    }

    /// <summary>Withdraws the pop-up: every pass that carries it loses it.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        HttpRequest request, string popupId, PopupStore store, CarriedPopups carried, IOptions<WalletPassesOptions> options, ProgramRegistry programs, CancellationToken cancellationToken)
    {
        var programId = ProgramOf(request, options.Value);
        if (await UnknownProgramAsync(programId, programs, cancellationToken) is { } unknown)
        {
            return unknown;
        }

        if (!PopupValidation.IsPopupId(popupId) || await store.GetAsync(programId, popupId, cancellationToken) is null)
        {
            return UnknownPopup(programId, popupId);
        }

        await store.DeleteAsync(programId, popupId, cancellationToken);
        await carried.RefreshAsync(programId, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>A 404 problem when this deployment has no such program (<see cref="ProgramRegistry"/>), else null.</summary>
    public static async ValueTask<ProblemHttpResult?> UnknownProgramAsync(string programId, ProgramRegistry programs, CancellationToken cancellationToken) =>
        await programs.IsKnownAsync(programId, cancellationToken) ? null : ProgramRoutes.UnknownProgram(programId);

    /// <summary>The route's program, or the default program for the unprefixed routes.</summary>
    private static string ProgramOf(HttpRequest request, WalletPassesOptions options) =>
        request.RouteValues.TryGetValue("programId", out var value) && value is string programId ? programId : options.ProgramId;

    private static async Task<(Popup? Popup, ProblemHttpResult? Problem, ValidationProblem? Invalid)> ReadAsync(
        HttpRequest request, string popupId, ITemplateSource templates, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<PopupInput>(request, MaxBodyBytes, cancellationToken);
        if (body.Problem is { } problem)
        {
            return (null, problem.Result, null);
        }

        var template = await templates.GetCurrentAsync(cancellationToken);
        var errors = PopupValidation.Validate(body.Value!, template.Template, popupId, out var popup);
        return errors.Count > 0 ? (null, null, TypedResults.ValidationProblem(errors)) : (popup, null, null);
    }

    private static PopupDocument Document(string programId, Popup popup, PopupsOptions options, TimeProvider time) =>
        PopupDocument.From(programId, popup, PopupRules.PhaseOf(popup, time.GetUtcNow(), options.AnnounceBefore));

    private static ProblemHttpResult UnknownPopup(string programId, string popupId) =>
        Problem(StatusCodes.Status404NotFound, "Unknown pop-up", $"Program '{programId}' has no pop-up '{(popupId.Length <= 64 ? popupId : popupId[..64] + "…")}'.");

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
