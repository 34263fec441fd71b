using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace WalletPasses.Templates;

/// <summary>Reads and writes a template's blobs below one prefix of the templates container (the live template, drafts, published versions).</summary>
public static class TemplateBlobFolder
{
    /// <summary>The template below <paramref name="prefix"/>, or null when it has no template.json. Throws <see cref="InvalidTemplateException"/> for one that does not parse.</summary>
    public static async Task<StoredTemplate?> ReadAsync(BlobContainerClient container, string prefix, CancellationToken cancellationToken) =>
        await ReadFilesAsync(container, prefix, cancellationToken) is { } files
            ? new StoredTemplate(new TemplatePackage(files.TemplateJson, TemplatePackage.Parse(files.TemplateJson), files.Images), files.ETag, files.LastModified, files.ImagesSignature)
            : null;

    /// <summary>
    /// The files below <paramref name="prefix"/> as stored, template.json unparsed (the conformance report reports a
    /// broken one as a problem); null when it has no template.json.
    /// </summary>
    public static async Task<TemplateFiles?> ReadFilesAsync(BlobContainerClient container, string prefix, CancellationToken cancellationToken)
    {
        Response<BlobDownloadResult> download;
        try
        {
            download = await container.GetBlobClient(prefix + TemplatePackage.TemplateFile).DownloadContentAsync(cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }

        // The images download side by side: at start-up they are on the path to the first answer.
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix + TemplatePackage.ImagesFolder, cancellationToken))
        {
            names.Add(blob.Name);
        }

        var downloads = await Task.WhenAll(names.Select(async name => (Name: name, Content: (await container.GetBlobClient(name).DownloadContentAsync(cancellationToken)).Value)));
        var images = downloads.ToDictionary(d => d.Name[(prefix.Length + TemplatePackage.ImagesFolder.Length)..], d => d.Content.Content.ToArray(), StringComparer.Ordinal);
        var signature = Signature(downloads.Select(d => (d.Name, d.Content.Details.ETag)));
        return new TemplateFiles(download.Value.Content.ToArray(), images, download.Value.Details.ETag, download.Value.Details.LastModified, signature);
    }

    public static async Task<string> ImagesSignatureAsync(BlobContainerClient container, string prefix, CancellationToken cancellationToken)
    {
        var images = new List<(string, ETag)>();
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix + TemplatePackage.ImagesFolder, cancellationToken))
        {
            images.Add((blob.Name, blob.Properties.ETag ?? default));
        }

        return Signature(images);
    }

    /// <summary>
    /// Writes the package below <paramref name="prefix"/>: images first, template.json last (its presence means a
    /// complete template), then removes images the package no longer has. With <paramref name="createOnly"/> every
    /// blob is written only if absent (If-None-Match: *), so a published version is never overwritten.
    /// </summary>
    public static async Task WriteAsync(BlobContainerClient container, string prefix, TemplatePackage package, bool createOnly, CancellationToken cancellationToken)
    {
        var conditions = createOnly ? new BlobRequestConditions { IfNoneMatch = ETag.All } : null;
        await Task.WhenAll(package.Images.Select(image => container.GetBlobClient(prefix + TemplatePackage.ImagesFolder + image.Key).UploadAsync(
            new BinaryData(image.Value),
            new BlobUploadOptions { Conditions = conditions, HttpHeaders = new BlobHttpHeaders { ContentType = "image/png" } },
            cancellationToken)));
        await container.GetBlobClient(prefix + TemplatePackage.TemplateFile).UploadAsync(
            new BinaryData(package.TemplateJson),
            new BlobUploadOptions { Conditions = conditions, HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
            cancellationToken);

        var stale = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix + TemplatePackage.ImagesFolder, cancellationToken))
        {
            if (!package.Images.ContainsKey(blob.Name[(prefix.Length + TemplatePackage.ImagesFolder.Length)..]))
            {
                stale.Add(blob.Name);
            }
        }

        await Task.WhenAll(stale.Select(name => container.GetBlobClient(name).DeleteIfExistsAsync(cancellationToken: cancellationToken)));
    }

    private static string Signature(IEnumerable<(string Name, ETag ETag)> images) =>
        string.Join('|', images.Select(image => image.Name + "@" + image.ETag).Order(StringComparer.Ordinal));
}
