using Azure;
using WalletPasses.Popups;
using WalletPasses.Templates;

namespace WalletPasses.Publishing;

/// <summary>
/// Starts the bulk re-issue of a program's passes to a revision of its carried pop-ups: a publication row (cause
/// <see cref="PublicationCauses.Popups"/>) whose id is made of the revision, so starting it twice adds one row; the
/// running pop-up publications of older revisions are superseded (the new one visits every member). The template
/// stays as it is.
/// </summary>
public sealed class PopupPublications(Publications publications, ITemplateSource templates, TimeProvider time) : IPopupReissue
{
    public static string PublicationIdOf(long revision) => $"popups{revision:D12}";

    public async Task StartAsync(string programId, long revision, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var template = await templates.GetCurrentAsync(cancellationToken);
        try
        {
            await publications.AddAsync(new PublicationEntity
            {
                PartitionKey = programId,
                RowKey = PublicationIdOf(revision),
                Cause = PublicationCauses.Popups,
                PopupRevision = revision,
                TemplateVersion = template.Number,
                StartedAt = now,
                LeaseUntil = now,
            }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return; // started already
        }

        foreach (var older in (await publications.RunningAsync(programId, cancellationToken)).Where(p => p.IsPopups && p.PopupRevision < revision))
        {
            older.State = PublicationStates.Superseded;
            older.FinishedAt = now;
            await publications.TryReplaceAsync(older, cancellationToken); // lost: the re-issue job supersedes it when it sees the newer revision
        }
    }
}
