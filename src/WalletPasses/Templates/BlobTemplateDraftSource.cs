using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs.Models;
using WalletPasses.Storage;

namespace WalletPasses.Templates;

/// <summary>
/// Drafts in the templates container, beside the published templates: <c>drafts/{programId}/template.json</c> and
/// <c>drafts/{programId}/images/{file}</c>, the same layout as a published template (<c>{programId}/template.json</c>,
/// <c>{programId}/images/</c>) under a <c>drafts/</c> prefix. Read fresh on every call: a draft is read rarely and must
/// show the latest upload.
/// </summary>
public sealed class BlobTemplateDraftSource(StorageClients storage) : ITemplateDraftSource
{
    public const string DraftsPrefix = "drafts/";

    public static string PrefixOf(string programId) => $"{DraftsPrefix}{programId}/";

    public async Task<TemplateDraft?> GetDraftAsync(string programId, CancellationToken cancellationToken)
    {
        var prefix = PrefixOf(programId);
        BinaryData templateJson;
        ETag templateETag;
        try
        {
            var download = await storage.Templates.GetBlobClient(prefix + DefaultTemplate.TemplateFileName).DownloadContentAsync(cancellationToken);
            (templateJson, templateETag) = (download.Value.Content, download.Value.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == StatusCodes.Status404NotFound)
        {
            return null;
        }

        var imagesPrefix = prefix + "images/";
        var names = new List<string>();
        await foreach (var blob in storage.Templates.GetBlobsAsync(BlobTraits.None, BlobStates.None, imagesPrefix, cancellationToken))
        {
            names.Add(blob.Name);
        }

        var downloads = await Task.WhenAll(names.Select(async name => (Name: name, Content: (await storage.Templates.GetBlobClient(name).DownloadContentAsync(cancellationToken)).Value)));
        var images = downloads.ToDictionary(d => d.Name[imagesPrefix.Length..], d => d.Content.Content.ToArray(), StringComparer.Ordinal);

        // The version covers the images too: replacing one image is a new draft.
        var signature = string.Join('|', downloads.Select(d => d.Name + "@" + d.Content.Details.ETag).Order(StringComparer.Ordinal).Prepend(templateETag.ToString()));
        var version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(signature)))[..16];
        return new TemplateDraft(programId, templateJson.ToArray(), images, version);
    }
}
