using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace WalletPasses.Templates;

/// <summary>
/// Public URLs of the template's images. Google Wallet fetches class and object images itself from public
/// HTTPS URLs; the <c>v</c> parameter is a hash of the image, so a changed image gets a new URL and Google
/// fetches it again instead of showing its cached copy.
/// </summary>
public sealed class TemplateImageUrls(IOptions<WalletPassesOptions> options)
{
    private readonly ConditionalWeakTable<LoadedTemplate, IReadOnlyDictionary<string, string>> _versions = [];

    /// <returns>The URL of an image of the template, or null when it has no such image.</returns>
    public Uri? For(LoadedTemplate template, string file) =>
        VersionOf(template, file) is { } version
            ? new Uri(options.Value.BaseUri, $"{TemplateImagesApi.RoutePrefix}{options.Value.ProgramId}/images/{Uri.EscapeDataString(file)}?v={version}")
            : null;

    public string? VersionOf(LoadedTemplate template, string file) =>
        _versions.GetValue(template, Hash).TryGetValue(file, out var version) ? version : null;

    private static Dictionary<string, string> Hash(LoadedTemplate template) =>
        template.Images.ToDictionary(image => image.Key, image => Convert.ToHexStringLower(SHA256.HashData(image.Value))[..16], StringComparer.Ordinal);
}

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
