using System.Collections.Concurrent;
using System.Net;
using WalletPasses.Templates;

namespace WalletPasses.Google;

/// <summary>
/// Keeps each program's loyalty class in line with the program's template: before any object is written, and on every run of
/// <see cref="GoogleClassSyncJob"/> (a timer function under the Functions host, the standalone job runner otherwise),
/// so a changed template reaches the class even while no pass changes. Writes only what differs, always as
/// <c>UNDER_REVIEW</c>, so an unchanged template costs one GET and no review; and before writing, looks at the template
/// in storage at once, so an instance whose loaded template predates a publication never puts the old look back.
/// </summary>
public sealed partial class GoogleClassSync(
    GoogleWalletClient client,
    GooglePassContent content,
    ProgramTemplates templates,
    ILogger<GoogleClassSync> logger) : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);

    // Per program: the template instance its class was last made to match; a changed template (or image) is a new instance.
    private readonly ConcurrentDictionary<string, LoadedTemplate> _matched = new(StringComparer.Ordinal);

    /// <param name="programId">The program whose class follows <paramref name="template"/> (its template).</param>
    public async Task EnsureCurrentAsync(string programId, LoadedTemplate template, CancellationToken cancellationToken)
    {
        if (ReferenceEquals(_matched.GetValueOrDefault(programId), template))
        {
            return;
        }

        await _lock.WaitAsync(cancellationToken);
        try
        {
            // A caller that waited here with an older publication than the one just matched must not patch it back.
            if (_matched.GetValueOrDefault(programId) is { } matched && (ReferenceEquals(matched, template) || matched.Number > template.Number))
            {
                return;
            }

            var wanted = content.LoyaltyClassFor(template, programId);
            var existing = await client.GetClassAsync(wanted.Id, cancellationToken);
            if (existing is null)
            {
                await InsertAsync(wanted, cancellationToken);
                LogClassWritten(logger, wanted.Id, "created", template.Version);
            }
            else if (!Shows(existing, wanted))
            {
                // The class differs: maybe because another instance already wrote a template published since this one
                // loaded its own (refreshed only every so often). Never put the older look back: write the latest.
                var latest = await templates.For(programId).GetLatestAsync(cancellationToken);
                if (!ReferenceEquals(latest, template))
                {
                    (template, wanted) = (latest, content.LoyaltyClassFor(latest, programId));
                }

                if (!Shows(existing, wanted))
                {
                    // Patch, not update: fields an operator set in the Wallet console stay.
                    await client.PatchClassAsync(wanted, cancellationToken);
                    LogClassWritten(logger, wanted.Id, "updated", template.Version);
                }
            }

            _matched[programId] = template;
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose() => _lock.Dispose();

    private static bool Shows(LoyaltyClass existing, LoyaltyClass wanted) => GoogleWalletJson.HasAllFieldsOf(existing, wanted with { ReviewStatus = null });

    private async Task InsertAsync(LoyaltyClass wanted, CancellationToken cancellationToken)
    {
        try
        {
            await client.InsertClassAsync(wanted, cancellationToken);
        }
        catch (GoogleWalletException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            // Another instance inserted it a moment ago.
            await client.PatchClassAsync(wanted, cancellationToken);
        }
    }

    [LoggerMessage(LogLevel.Information, "Google Wallet class {ClassId} {Change} (template version {Version})")]
    private static partial void LogClassWritten(ILogger logger, string classId, string change, string version);
}
