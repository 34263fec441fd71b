using System.Security.Cryptography;
using System.Text;
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
    public static string PrefixOf(string programId) => TemplateDrafts.Prefix(programId);

    public async Task<TemplateDraft?> GetDraftAsync(string programId, CancellationToken cancellationToken)
    {
        if (await TemplateBlobFolder.ReadFilesAsync(storage.Templates, PrefixOf(programId), cancellationToken) is not { } files)
        {
            return null;
        }

        // The version covers the images too: replacing one image is a new draft.
        var version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(files.ETag + "|" + files.ImagesSignature)))[..16];
        return new TemplateDraft(programId, files.TemplateJson, files.Images, version);
    }
}
