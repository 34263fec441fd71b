using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WalletPasses.Barcodes;
using WalletPasses.Programs;
using WalletPasses.Security;
using WalletPasses.Templates;

namespace WalletPasses.Publishing;

/// <summary>
/// The backend's template publishing routes for each program of the deployment (an unknown program id is 404, except
/// for the draft upload, which adds the program): download the published template, upload a draft, dry-run its
/// publication, publish it, follow the re-issue.
/// </summary>
public static class TemplatePublishingApi
{
    public const string TemplateRoute = "programs/{programId}/template";
    public const string ImpactRoute = "programs/{programId}/template/draft/impact";
    public const string PublishRoute = "programs/{programId}/template/publish";
    public const string PublicationRoute = "programs/{programId}/template/publications/{publicationId}";

    public static RouteGroupBuilder MapTemplatePublishingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").RequireAuthorization(ApiKeyAuthentication.BackendPolicy).RequireProgramOfBackendKey().RefuseRetiredProgramChanges();
        api.MapGet(TemplateRoute, GetTemplate);
        api.MapPut(TemplateRoute, PutDraft);
        api.MapGet(ImpactRoute, GetImpact);
        api.MapPost(PublishRoute, Publish);
        api.MapGet(PublicationRoute, GetPublication);
        return api;
    }

    /// <summary>The published template as a zip: template.json and images/.</summary>
    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetTemplate(
        string programId, ProgramTemplates templates, ProgramRegistry programs, CancellationToken cancellationToken)
    {
        if (await UnknownProgramAsync(programId, programs, cancellationToken) is { } unknown)
        {
            return unknown;
        }

        LoadedTemplate template;
        try
        {
            template = await templates.For(programId).GetCurrentAsync(cancellationToken);
        }
        catch (InvalidTemplateException)
        {
            return Problem(StatusCodes.Status404NotFound, "No published template", $"Program '{programId}' has not published a template yet.");
        }

        return TypedResults.File(TemplateZip.Write(TemplatePackage.From(template)), TemplateZip.ContentType, $"{programId}-template-v{template.Number}.zip");
    }

    /// <summary>
    /// Stores the zip as the program's draft (204); the live template does not change. A draft for a program id the
    /// deployment does not have yet adds the program (its members, Google class and pass certificate follow the
    /// template it publishes). A template.json naming another program is 422, and a new id whose barcode tag another
    /// program carries is 409 (see <see cref="ProgramTags"/>): neither adds anything.
    /// </summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> PutDraft(
        string programId,
        HttpRequest request,
        TemplateDrafts drafts,
        ProgramRegistry programs,
        IOptions<PublishingOptions> publishing,
        CancellationToken cancellationToken)
    {
        if (ProgramRegistry.IdError(programId) is { } idError)
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid program id", idError);
        }

        var limits = publishing.Value.ZipLimits();
        if (request.ContentLength > limits.MaxZipBytes)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "Template too large", $"The zip may be at most {limits.MaxZipBytes} bytes.");
        }

        // A template with its images is larger than the service's usual body limit.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limits.MaxZipBytes;
        }

        using var body = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (body.Length + read > limits.MaxZipBytes)
            {
                return Problem(StatusCodes.Status413PayloadTooLarge, "Template too large", $"The zip may be at most {limits.MaxZipBytes} bytes.");
            }

            body.Write(buffer, 0, read);
        }

        var (package, problem) = TemplateZip.Read(body.GetBuffer().AsMemory(0, (int)body.Length), limits);
        if (problem is not null)
        {
            return Problem(problem.Status, "Template zip refused", problem.Detail);
        }

        // Refused here rather than at publication: the upload would otherwise add the program for good, and the draft's
        // report would call publishable a draft that publishing refuses.
        if (TemplatePublisher.ProgramMismatch(programId, package!) is { } mismatch)
        {
            return Problem(StatusCodes.Status422UnprocessableEntity, "Template zip refused", mismatch);
        }

        if ((await programs.AddAsync(programId, cancellationToken)).TagTakenBy is { } takenBy)
        {
            return Problem(
                StatusCodes.Status409Conflict,
                "Program id refused",
                $"Program '{programId}' would carry the barcode program tag of program '{takenBy}' ({BarcodeTokens.ProgramTag(takenBy)}), so a staff device limited to one would accept the other's passes offline; choose another program id.");
        }

        await drafts.SaveAsync(programId, package!, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>What publishing the draft would do (nothing is written).</summary>
    public static async Task<Results<Ok<TemplateImpactReport>, ProblemHttpResult>> GetImpact(
        string programId, ImpactAnalysis impact, ProgramRegistry programs, CancellationToken cancellationToken)
    {
        if (await UnknownProgramAsync(programId, programs, cancellationToken) is { } unknown)
        {
            return unknown;
        }

        var (report, errors) = await impact.AnalyseAsync(programId, cancellationToken);
        return report is not null ? TypedResults.Ok(report)
            : errors.Count == 0 ? NoDraft(programId)
            : DraftInvalid(errors);
    }

    /// <summary>Publishes the draft as a new template version and starts the re-issue: 202 with the publication.</summary>
    public static async Task<Results<Accepted<PublicationDocument>, ProblemHttpResult>> Publish(
        string programId, TemplatePublisher publisher, ProgramRegistry programs, CancellationToken cancellationToken)
    {
        if (await UnknownProgramAsync(programId, programs, cancellationToken) is { } unknown)
        {
            return unknown;
        }

        var result = await publisher.PublishAsync(programId, cancellationToken);
        return result.Outcome switch
        {
            PublishOutcome.Started or PublishOutcome.AlreadyPublished => Accepted(result.Publication!),
            PublishOutcome.NoDraft => NoDraft(programId),
            PublishOutcome.DraftInvalid => DraftInvalid(result.Errors),
            _ => Problem(StatusCodes.Status409Conflict, "Another publication came first", "Another draft was published at the same moment; upload again and publish."),
        };
    }

    public static async Task<Results<Ok<PublicationDocument>, ProblemHttpResult>> GetPublication(
        string programId, string publicationId, Publications publications, ProgramRegistry programs, CancellationToken cancellationToken)
    {
        if (await UnknownProgramAsync(programId, programs, cancellationToken) is { } unknown)
        {
            return unknown;
        }

        return publicationId.Length <= 64 && publicationId.All(char.IsAsciiLetterOrDigit)
            && await publications.GetAsync(programId, publicationId, cancellationToken) is { } publication
            ? TypedResults.Ok(PublicationDocument.From(publication))
            : Problem(StatusCodes.Status404NotFound, "Unknown publication", $"No publication '{publicationId}' of program '{programId}'.");
    }

    private static Accepted<PublicationDocument> Accepted(PublicationEntity publication)
    {
        var document = PublicationDocument.From(publication);
        return TypedResults.Accepted(document.StatusUrl, document);
    }

    private static async ValueTask<ProblemHttpResult?> UnknownProgramAsync(string programId, ProgramRegistry programs, CancellationToken cancellationToken) =>
        await programs.IsKnownAsync(programId, cancellationToken) ? null : ProgramRoutes.UnknownProgram(programId);

    private static ProblemHttpResult NoDraft(string programId) =>
        Problem(StatusCodes.Status404NotFound, "No draft", $"Program '{programId}' has no draft: PUT a template zip to /api/programs/{programId}/template first.");

    private static ProblemHttpResult DraftInvalid(IReadOnlyList<string> errors) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "The draft has errors",
            detail: "Fix the draft and upload it again: " + string.Join(" ", errors),
            extensions: new Dictionary<string, object?> { ["errors"] = errors });

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
