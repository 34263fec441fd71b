using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using WalletPasses.Programs;

namespace WalletPasses.Templates;

/// <summary>
/// <c>GET /api/templates/{programId}/images/{file}</c>: the images of each program's current template (the ones its
/// Google class and objects name), public and cacheable.
/// </summary>
public static class TemplateImagesApi
{
    public const string RoutePrefix = "api/templates/";
    public const string ImageRoute = "templates/{programId}/images/{file}";

    public static IEndpointRouteBuilder MapTemplateImagesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(ImageRoute, GetImage).AllowAnonymous();
        return app;
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetImage(
        string programId,
        string file,
        string? v,
        HttpContext context,
        ProgramRegistry programs,
        ProgramTemplates templates,
        TemplateImageUrls urls,
        CancellationToken cancellationToken)
    {
        // The registry is in memory: an unknown program costs no storage request.
        var template = file.EndsWith(".png", StringComparison.Ordinal) && await programs.IsKnownAsync(programId, cancellationToken)
            ? await templates.For(programId).GetCurrentAsync(cancellationToken)
            : null;
        if (template is null
            || !template.Images.TryGetValue(file, out var content)
            || urls.VersionOf(template, file) is not { } version)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such image");
        }

        // A URL that names the current content never changes meaning, so it may be cached for good;
        // an old or missing version may point at different bytes soon, so only briefly.
        context.Response.Headers.CacheControl = v == version ? "public, max-age=31536000, immutable" : "public, max-age=300";
        return TypedResults.File(content, "image/png", entityTag: new EntityTagHeaderValue($"\"{version}\""));
    }
}
