using System.Net;
using WalletPasses.Templates;

namespace WalletPasses.Google;

/// <summary>
/// Keeps the program's loyalty class in line with the template: before any object is written, and on every run of
/// <see cref="GoogleClassSyncJob"/> (a timer function under the Functions host, the standalone job runner otherwise),
/// so a changed template reaches the class even while no pass changes. Writes only what differs, always as
/// <c>UNDER_REVIEW</c>, so an unchanged template costs one GET and no review.
/// </summary>
public sealed partial class GoogleClassSync(
    GoogleWalletClient client,
    GooglePassContent content,
    ILogger<GoogleClassSync> logger) : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);

    // The template instance the class was last made to match; a changed template (or image) is a new instance.
    private LoadedTemplate? _matched;

    public async Task EnsureCurrentAsync(LoadedTemplate template, CancellationToken cancellationToken)
    {
        if (ReferenceEquals(Volatile.Read(ref _matched), template))
        {
            return;
        }

        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (ReferenceEquals(_matched, template))
            {
                return;
            }

            var wanted = content.LoyaltyClassFor(template);
            var existing = await client.GetClassAsync(wanted.Id, cancellationToken);
            if (existing is null)
            {
                await InsertAsync(wanted, cancellationToken);
                LogClassWritten(logger, wanted.Id, "created", template.Version);
            }
            else if (!GoogleWalletJson.HasAllFieldsOf(existing, wanted with { ReviewStatus = null }))
            {
                // Patch, not update: fields an operator set in the Wallet console stay.
                await client.PatchClassAsync(wanted, cancellationToken);
                LogClassWritten(logger, wanted.Id, "updated", template.Version);
            }

            Volatile.Write(ref _matched, template);
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose() => _lock.Dispose();

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
