using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WalletPasses.Apple;
using WalletPasses.Programs;
using WalletPasses.Security;
using WalletPasses.Templates;

namespace WalletPasses.Conformance;

/// <summary>
/// The backend's look at a program's template draft before publishing: <c>GET /api/programs/{programId}/template/draft/report</c>
/// (the full conformance check, <see cref="TemplateConformance"/>) and <c>GET …/draft/preview?tier=gold&amp;language=de</c>
/// (pass.json and an HTML rendering; <c>format=html</c> answers the page itself). Only the deployment's configured program exists today.
/// </summary>
public static class TemplateDraftApi
{
    public const string ReportRoute = "programs/{programId}/template/draft/report";
    public const string PreviewRoute = "programs/{programId}/template/draft/preview";

    public static RouteGroupBuilder MapTemplateDraftApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").RequireAuthorization(ApiKeyAuthentication.BackendPolicy).RequireProgramOfBackendKey();
        api.MapGet(ReportRoute, GetReport);
        api.MapGet(PreviewRoute, GetPreview);
        return api;
    }

    public static async Task<Results<Ok<TemplateDraftReport>, ProblemHttpResult>> GetReport(
        string programId, ITemplateDraftSource drafts, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (await FindDraftAsync(programId, drafts, cancellationToken) is not { } found)
        {
            return NoDraft(programId);
        }

        var report = TemplateConformance.CheckDraft(found, TemplateConformanceContext.ForDeployment(services));
        return TypedResults.Ok(new TemplateDraftReport(programId, found.Version, !report.HasErrors, report.Errors, report.Warnings, report.Problems));
    }

    public static async Task<Results<Ok<TemplateDraftPreview>, ContentHttpResult, ValidationProblem, ProblemHttpResult>> GetPreview(
        string programId, string? tier, string? language, string? format, ITemplateDraftSource drafts, IOptions<WalletPassesOptions> options, CancellationToken cancellationToken)
    {
        if (await FindDraftAsync(programId, drafts, cancellationToken) is not { } found)
        {
            return NoDraft(programId);
        }

        if (TemplateConformance.Parse(found.TemplateJson) is not { } template)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The draft is not a template", detail: "template.json cannot be read as a template: see GET …/template/draft/report.");
        }

        var tierTemplate = tier is null ? (template.Tiers.Count > 0 ? template.Tiers[0] : null) : template.FindTier(tier);
        language ??= template.DefaultLanguage;
        var errors = new Dictionary<string, string[]>();
        if (tierTemplate is null)
        {
            errors["tier"] = [$"The draft has no tier '{tier}'. Tiers: {string.Join(", ", template.Tiers.Select(t => t.Id))}."];
        }

        if (!template.Strings.ContainsKey(language))
        {
            errors["language"] = [$"The draft has no language '{language}'. Languages: {string.Join(", ", template.Strings.Keys)}."];
        }

        if (format is not (null or "json" or "html"))
        {
            errors["format"] = ["format is json (the default) or html."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (new[] { tierTemplate!.BackgroundColor, tierTemplate.ForegroundColor, tierTemplate.LabelColor }.Any(colour => !HexColor.TryParse(colour, out _)))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The tier cannot be drawn", detail: $"Tier '{tierTemplate.Id}' has a colour that is not #RRGGBB: see GET …/template/draft/report.");
        }

        var passJson = PassJsonBuilder.Build(template, tierTemplate, PreviewContent(tierTemplate, options.Value));
        var strings = AppleTemplateAssets.PassStringEntries(template, language);
        using var document = JsonDocument.Parse(passJson);
        var html = PassPreviewHtml.Render(
            document.RootElement, strings, Image(found, template.Images.Logo + "@2x.png"), Image(found, tierTemplate.Strip + "@2x.png"), $"{template.ProgramName}: {tierTemplate.Id} ({language})",
            template.Poster is { } poster ? (Image(found, poster.Artwork + "@2x.png"), Image(found, poster.PrimaryLogo + "@2x.png")) : default);
        if (format == "html")
        {
            return TypedResults.Content(html, "text/html; charset=utf-8");
        }

        var json = JsonNode.Parse(passJson)!;
        json.AsObject().Remove("authenticationToken");
        return TypedResults.Ok(new TemplateDraftPreview(programId, found.Version, tierTemplate.Id, language, json, strings, html));
    }

    /// <summary>A typical member for the preview (the report checks the longest one).</summary>
    private static PassContent PreviewContent(TierTemplate tier, WalletPassesOptions options) => new()
    {
        SerialNumber = "preview",
        AuthenticationToken = "preview-token-not-a-real-pass",
        WebServiceUrl = new Uri(options.BaseUri, "api/passkit"),
        BarcodeMessage = "preview",
        BarcodeAltText = "ABCD-1234",
        DisplayName = "Jane Doe",
        Points = 1250,
        TierId = tier.Id,
        ReferralUrl = "https://example.com/r/JANE10",
    };

    private static byte[]? Image(TemplateDraft draft, string file) =>
        draft.Images.TryGetValue(file, out var content) && PngImage.HasSignature(content) ? content : null;

    /// <summary>Only a program's own draft: uploading one (<c>PUT …/template</c>) is what adds a program, so an unknown program has none.</summary>
    private static async Task<TemplateDraft?> FindDraftAsync(string programId, ITemplateDraftSource drafts, CancellationToken cancellationToken) =>
        ProgramRegistry.IdError(programId) is null ? await drafts.GetDraftAsync(programId, cancellationToken) : null;

    private static ProblemHttpResult NoDraft(string programId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No draft", detail: $"Program '{programId}' has no template draft: PUT a template zip to /api/programs/{programId}/template first.");
}
