using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace WalletPasses.Templates;

/// <summary>
/// Public URLs of the template's images. Google Wallet fetches class and object images itself from public
/// HTTPS URLs; the <c>v</c> parameter is a hash of the image, so a changed image gets a new URL and Google
/// fetches it again instead of showing its cached copy.
/// </summary>
public sealed class TemplateImageUrls(IOptions<WalletPassesOptions> options)
{
    private readonly ConditionalWeakTable<LoadedTemplate, IReadOnlyDictionary<string, string>> _versions = [];

    /// <returns>The URL of an image of the program's template, or null when it has no such image.</returns>
    public Uri? For(string programId, LoadedTemplate template, string file) =>
        VersionOf(template, file) is { } version
            ? new Uri(options.Value.BaseUri, $"{TemplateImagesApi.RoutePrefix}{programId}/images/{Uri.EscapeDataString(file)}?v={version}")
            : null;

    public string? VersionOf(LoadedTemplate template, string file) =>
        _versions.GetValue(template, Hash).TryGetValue(file, out var version) ? version : null;

    private static Dictionary<string, string> Hash(LoadedTemplate template) =>
        template.Images.ToDictionary(image => image.Key, image => Convert.ToHexStringLower(SHA256.HashData(image.Value))[..16], StringComparer.Ordinal);
}
