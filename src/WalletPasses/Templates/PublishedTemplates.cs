using System.Text.Json;
using Azure;
using Azure.Storage.Blobs.Models;
using WalletPasses.Storage;

namespace WalletPasses.Templates;

/// <summary>
/// Published template versions: each is written once below its own prefix (never overwritten), and the program's
/// pointer to the current one is switched with a conditional write, so a reader sees the old version or the new one,
/// never a mix, and of two concurrent publications exactly one takes each version number.
/// </summary>
public sealed class PublishedTemplates(StorageClients storage)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Below this prefix are the files of the version made by a publication.</summary>
    public static string VersionPrefix(string programId, string publicationId) => $"published/{programId}/{publicationId}/";

    /// <summary>The live template of a program that has never published (version 0).</summary>
    public static string UnpublishedPrefix(string programId) => programId + "/";

    public static string PointerName(string programId) => $"published/{programId}/current.json";

    /// <summary>The program's current version and the pointer's ETag (for the switch); null when it never published.</summary>
    public async Task<(TemplatePointer Pointer, ETag ETag)?> CurrentAsync(string programId, CancellationToken cancellationToken)
    {
        try
        {
            var download = await storage.Templates.GetBlobClient(PointerName(programId)).DownloadContentAsync(cancellationToken);
            var pointer = download.Value.Content.ToObjectFromJson<TemplatePointer>(Json)
                ?? throw new InvalidTemplateException($"{PointerName(programId)} is empty.");
            return (pointer, download.Value.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Writes the files of a new version (create-only: a publication id is never reused).</summary>
    public Task StoreAsync(string programId, string publicationId, TemplatePackage package, CancellationToken cancellationToken) =>
        TemplateBlobFolder.WriteAsync(storage.Templates, VersionPrefix(programId, publicationId), package, createOnly: true, cancellationToken);

    /// <summary>
    /// Makes <paramref name="next"/> the current version if the pointer is still the one read (<paramref name="expected"/>;
    /// null: there was none). False when another publication switched it first.
    /// </summary>
    public async Task<bool> SwitchAsync(string programId, TemplatePointer next, ETag? expected, CancellationToken cancellationToken)
    {
        try
        {
            await storage.Templates.GetBlobClient(PointerName(programId)).UploadAsync(
                BinaryData.FromObjectAsJson(next, Json),
                new BlobUploadOptions
                {
                    Conditions = expected is { } etag ? new BlobRequestConditions { IfMatch = etag } : new BlobRequestConditions { IfNoneMatch = ETag.All },
                    HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
                },
                cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    /// <summary>A version's template as the pass builders use it (number and publication time set); null when its files are missing.</summary>
    public async Task<LoadedTemplate?> LoadAsync(string programId, TemplatePointer? version, CancellationToken cancellationToken)
    {
        var prefix = version is null ? UnpublishedPrefix(programId) : VersionPrefix(programId, version.PublicationId);
        var stored = await TemplateBlobFolder.ReadAsync(storage.Templates, prefix, cancellationToken);
        return stored is null ? null : ToLoaded(stored, version);
    }

    public static LoadedTemplate ToLoaded(StoredTemplate stored, TemplatePointer? version) =>
        new(stored.Package.Template, stored.Package.Images, stored.ETag.ToString())
        {
            Number = version?.Number ?? 0,
            PublishedAt = version?.PublishedAt,
        };
}
