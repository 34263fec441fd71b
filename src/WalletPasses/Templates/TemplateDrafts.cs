using WalletPasses.Storage;

namespace WalletPasses.Templates;

/// <summary>
/// Draft templates, uploaded by <c>PUT /api/programs/{programId}/template</c>: <c>drafts/{programId}/template.json</c> and
/// <c>drafts/{programId}/images/</c> in the templates container. A draft is read by the conformance report, the preview,
/// the impact dry run and publishing; it never affects a pass until it is published.
/// </summary>
public sealed class TemplateDrafts(StorageClients storage)
{
    public static string Prefix(string programId) => $"drafts/{programId}/";

    /// <summary>Replaces the program's draft (images first, template.json last; images the new draft lacks are removed).</summary>
    public Task SaveAsync(string programId, TemplatePackage draft, CancellationToken cancellationToken) =>
        TemplateBlobFolder.WriteAsync(storage.Templates, Prefix(programId), draft, createOnly: false, cancellationToken);

    /// <summary>The program's draft; null when none was uploaded.</summary>
    public Task<StoredTemplate?> GetAsync(string programId, CancellationToken cancellationToken) =>
        TemplateBlobFolder.ReadAsync(storage.Templates, Prefix(programId), cancellationToken);
}
