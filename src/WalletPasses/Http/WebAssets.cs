using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace WalletPasses.Http;

/// <summary>
/// The browser pages (HTML, JS, CSS and the vendored npm libraries under <c>Web/</c>) are embedded in the
/// app, so they are served from the app itself (no CDN, nothing extra to deploy), with an ETag for cheap
/// revalidation. Pages get a strict Content-Security-Policy: scripts and styles only from the app.
/// </summary>
public static class WebAssets
{
    private const string ResourcePrefix = "Web/";

    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob: mediastream:; " +
        "connect-src 'self'; worker-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>The embedded files by name; each is read (and its ETag hashed) when first served, not at start-up.</summary>
    private static readonly Lazy<IReadOnlyDictionary<string, Lazy<Asset>>> Assets = new(Index);

    /// <summary>Serves the embedded file <c>Web/{name}</c> at <paramref name="route"/>; a missing file fails at start-up.</summary>
    public static RouteHandlerBuilder MapWebAsset(this IEndpointRouteBuilder app, string route, string name)
    {
        if (!Assets.Value.TryGetValue(name, out var asset))
        {
            throw new InvalidOperationException($"No embedded web asset '{name}'.");
        }

        return app.MapGet(route, (HttpContext context) => Serve(context, asset.Value)).AllowAnonymous().ExcludeFromDescription();
    }

    private static FileContentHttpResult Serve(HttpContext context, Asset asset)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = "no-cache"; // revalidate every time: a new app version is picked up at once
        headers.XContentTypeOptions = "nosniff";
        if (asset.ContentType.StartsWith("text/html", StringComparison.Ordinal))
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = "camera=(self), microphone=()";
        }

        // File results answer If-None-Match themselves (304).
        return TypedResults.Bytes(asset.Content, asset.ContentType, entityTag: asset.ETag);
    }

    private static Dictionary<string, Lazy<Asset>> Index()
    {
        var assembly = typeof(WebAssets).Assembly;
        var assets = new Dictionary<string, Lazy<Asset>>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var name = resource.Replace('\\', '/');
            if (name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                assets[name[ResourcePrefix.Length..]] = new Lazy<Asset>(() => Read(resource, ContentTypeOf(name)));
            }
        }

        return assets;
    }

    private static Asset Read(string resource, string contentType)
    {
        using var stream = typeof(WebAssets).Assembly.GetManifestResourceStream(resource)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var content = copy.ToArray();
        var etag = new EntityTagHeaderValue("\"" + Convert.ToHexStringLower(SHA256.HashData(content)[..12]) + "\"");
        return new Asset(content, contentType, etag);
    }

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".webmanifest" => "application/manifest+json",
        _ => "text/plain; charset=utf-8",
    };

    private sealed record Asset(byte[] Content, string ContentType, EntityTagHeaderValue ETag);
}
