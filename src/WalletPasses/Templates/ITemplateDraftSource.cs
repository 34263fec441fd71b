namespace WalletPasses.Templates;

/// <summary>Where drafts of program templates are kept (see <see cref="BlobTemplateDraftSource"/> for the blob layout).</summary>
public interface ITemplateDraftSource
{
    /// <returns>The program's draft, or null when it has none.</returns>
    Task<TemplateDraft?> GetDraftAsync(string programId, CancellationToken cancellationToken);
}
