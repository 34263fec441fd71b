using System.Net;
using Microsoft.Extensions.Options;
using WalletPasses.Storage;
using WalletPasses.Templates;

namespace WalletPasses.Google;

/// <summary>
/// Keeps the program's loyalty class in line with the template: at start-up, whenever the template changes
/// (checked every <see cref="WalletPassesOptions.TemplateRefreshInterval"/>), and before any object is written.
/// Writes only what differs, always as <c>UNDER_REVIEW</c>, so an unchanged template costs one GET and no review.
/// </summary>
public sealed partial class GoogleClassSync(
    GoogleWalletClient client,
    GooglePassContent content,
    ITemplateSource templates,
    IStorageReadiness storage,
    IOptions<WalletPassesOptions> options,
    IOptions<GoogleWalletOptions> googleOptions,
    TimeProvider time,
    ILogger<GoogleClassSync> logger) : BackgroundService
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

    public override void Dispose()
    {
        _lock.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            var delay = options.Value.TemplateRefreshInterval;
            try
            {
                await storage.WhenReadyAsync(stoppingToken);
                await EnsureCurrentAsync(await templates.GetCurrentAsync(stoppingToken), stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Google down at start-up must not stop the app: Apple passes go on, the class follows.
                LogClassSyncFailed(logger, e);
                delay = googleOptions.Value.SyncRetryInterval;
            }

            await Task.Delay(delay, time, stoppingToken);
        }
    }

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

    [LoggerMessage(LogLevel.Warning, "Could not bring the Google Wallet class up to date; trying again")]
    private static partial void LogClassSyncFailed(ILogger logger, Exception exception);
}
