using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace WalletPasses.Templates;

/// <summary>
/// <c>GET /api/templates/{programId}/images/{file}</c>: the images of the program this deployment issues
/// (Blob <c>templates/{programId}/images/</c>), public and cacheable.
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
        ITemplateSource templates,
        TemplateImageUrls urls,
        IOptions<WalletPassesOptions> options,
        CancellationToken cancellationToken)
    {
        var template = await templates.GetCurrentAsync(cancellationToken);
        if (programId != options.Value.ProgramId
            || !file.EndsWith(".png", StringComparison.Ordinal)
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
