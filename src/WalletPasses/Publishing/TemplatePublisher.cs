using System.Security.Cryptography;
using WalletPasses.Conformance;
using WalletPasses.Templates;

namespace WalletPasses.Publishing;

/// <summary>
/// Publishes a program's draft as a new template version: its files are copied to the version's own prefix
/// (written once, never changed), the publication row is added (state running), then the program's pointer is
/// switched with a conditional write. If the request dies between the row and the switch, the re-issue job makes
/// the switch (<see cref="BulkReissueJob"/>); if another publication switched first, this one is superseded.
/// </summary>
public sealed class TemplatePublisher(
    TemplateDrafts drafts,
    PublishedTemplates published,
    Publications publications,
    ProgramTemplates templates,
    IEnumerable<ITemplateRule> rules,
    IServiceProvider services,
    TimeProvider time)
{
    private readonly ITemplateRule[] _rules = rules.ToArray();

    /// <summary>
    /// The errors that keep a draft from being published (and from the dry run): the load-time validation every
    /// template passes, and every error of the full conformance check (<c>GET …/template/draft/report</c> lists them
    /// with their fixes, and its warnings, which do not block).
    /// </summary>
    public IReadOnlyList<string> DraftErrors(string programId, StoredTemplate draft)
    {
        var errors = TemplateValidation.Validate(draft.Package.Template, draft.Package.Images, _rules).ToList();
        var report = TemplateConformance.Check(draft.Package.Template, draft.Package.Images, TemplateConformanceContext.ForDeployment(services));
        errors.AddRange(report.Problems.Where(p => p.Severity == ConformanceSeverity.Error).Select(p => $"{p.Path}: {p.Message} {p.Fix}"));
        if (ProgramMismatch(programId, draft.Package) is { } mismatch)
        {
            errors.Add(mismatch); // a draft stored before uploads were checked for it
        }

        return errors;
    }

    /// <summary>Why a template cannot be this program's (its template.json names another), or null.</summary>
    public static string? ProgramMismatch(string programId, TemplatePackage package) =>
        package.Template.ProgramId == programId ? null : $"template.json says programId '{package.Template.ProgramId}'; this program is '{programId}'.";

    public async Task<PublishResult> PublishAsync(string programId, CancellationToken cancellationToken)
    {
        StoredTemplate? draft;
        try
        {
            draft = await drafts.GetAsync(programId, cancellationToken);
        }
        catch (InvalidTemplateException e)
        {
            return new PublishResult(PublishOutcome.DraftInvalid, null, [e.Message]);
        }

        if (draft is null)
        {
            return new PublishResult(PublishOutcome.NoDraft, null, []);
        }

        var errors = DraftErrors(programId, draft);
        if (errors.Count > 0)
        {
            return new PublishResult(PublishOutcome.DraftInvalid, null, errors);
        }

        // Publishing the same draft twice (a retried request) answers the first publication.
        if (await publications.OfDraftAsync(programId, draft.ETag.ToString(), cancellationToken) is { } earlier)
        {
            return new PublishResult(PublishOutcome.AlreadyPublished, earlier, []);
        }

        var current = await published.CurrentAsync(programId, cancellationToken);
        var publicationId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        await published.StoreAsync(programId, publicationId, draft.Package, cancellationToken);
        var now = time.GetUtcNow();
        var publication = new PublicationEntity
        {
            PartitionKey = programId,
            RowKey = publicationId,
            TemplateVersion = (current?.Pointer.Number ?? 0) + 1,
            PreviousPublicationId = current?.Pointer.PublicationId,
            DraftETag = draft.ETag.ToString(),
            StartedAt = now,
            LeaseUntil = now,
        };
        await publications.AddAsync(publication, cancellationToken);

        var pointer = new TemplatePointer(publication.TemplateVersion, publicationId, now);
        if (!await published.SwitchAsync(programId, pointer, current?.ETag, cancellationToken))
        {
            publication.State = PublicationStates.Superseded;
            publication.FinishedAt = now;
            await publications.TryReplaceAsync(publication, cancellationToken);
            return new PublishResult(PublishOutcome.Conflict, publication, []);
        }

        await templates.For(programId).GetAtLeastAsync(pointer.Number, cancellationToken); // this instance serves the new look at once
        return new PublishResult(PublishOutcome.Started, publication, []);
    }
}
