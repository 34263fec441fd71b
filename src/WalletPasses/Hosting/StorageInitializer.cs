using WalletPasses.Apple;
using WalletPasses.Programs;
using WalletPasses.Storage;
using WalletPasses.Templates;

namespace WalletPasses.Hosting;

/// <summary>
/// Sets storage up (tables, containers, queues through <see cref="StorageResources"/>, the default template on first run) and loads the template, off
/// the start-up path: the host starts it and listens at once, and every entry point (the request pipeline, the
/// queue poller and job runner, the Functions triggers) awaits <see cref="WhenReadyAsync"/>, which is a completed
/// task after the first success. A scaled-from-zero instance thus answers its first request as soon as storage
/// answers, not after a serial set-up. Storage out of reach is tried again by the next caller (meanwhile callers
/// get the outage: 503 on HTTP); an invalid template stops the app with a message saying what to fix.
/// </summary>
public sealed partial class StorageInitializer(
    StorageResources resources,
    BlobTemplateStore templates,
    ProgramRegistry programs,
    PassCertificates certificates,
    Microsoft.Extensions.Options.IOptions<AppleOptions> appleOptions,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<StorageInitializer> logger) : IStorageReadiness, IHostedService
{
    private readonly Lock _gate = new();
    private Task? _ready;

    public Task WhenReadyAsync(CancellationToken cancellationToken)
    {
        var ready = _ready;
        if (ready is null || ready.IsFaulted || ready.IsCanceled)
        {
            lock (_gate)
            {
                if (_ready is null || (_ready.IsFaulted && !IsInvalidTemplate(_ready)) || _ready.IsCanceled)
                {
                    // On the thread pool: the set-up's synchronous part (storage clients' first requests) does not
                    // hold the caller, at start the host on its way to listening.
                    _ready = Task.Run(InitializeAsync, CancellationToken.None);
                }

                ready = _ready;
            }
        }

        return ready.IsCompletedSuccessfully ? ready : ready.WaitAsync(cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = WhenReadyAsync(CancellationToken.None).ContinueWith(ReportStartFailure, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task InitializeAsync()
    {
        await resources.EnsureCreatedAsync();
        // Side by side: every entry point waits for this set-up, so the default-program check costs no round trip of
        // its own (it also fills the program registry, which the first health answer reads).
        var template = SeedAndLoadTemplateAsync();
        await Task.WhenAll(programs.CheckDefaultProgramAsync(CancellationToken.None), template);
        var current = await template;
        LogReady(logger, current.Template.ProgramId, certificates.PassTypeIdentifier ?? "?");

        var daysLeft = (certificates.ExpiresAt - time.GetUtcNow()).TotalDays;
        if (daysLeft < appleOptions.Value.CertificateExpiryWarningDays)
        {
            LogCertificateExpiring(logger, certificates.ExpiresAt, (int)daysLeft);
        }
    }

    private async Task<LoadedTemplate> SeedAndLoadTemplateAsync()
    {
        await templates.SeedDefaultAsync(CancellationToken.None);
        return await templates.GetCurrentAsync(CancellationToken.None);
    }

    private void ReportStartFailure(Task failed)
    {
        if (failed.Exception?.GetBaseException() is DefaultProgramSettingException setting)
        {
            LogDefaultProgramSetting(logger, setting.Message);
            lifetime.StopApplication();
        }
        else if (IsInvalidTemplate(failed))
        {
            LogInvalidTemplate(logger, failed.Exception!.GetBaseException().Message);
            lifetime.StopApplication();
        }
        else
        {
            LogNotReady(logger, failed.Exception!.GetBaseException());
        }
    }

    /// <summary>A failure that trying again cannot mend: the app stops (see <see cref="ReportStartFailure"/>).</summary>
    private static bool IsInvalidTemplate(Task task) => task.Exception?.GetBaseException() is InvalidTemplateException or DefaultProgramSettingException;

    [LoggerMessage(LogLevel.Critical, "Stopping: {Reason}")]
    private static partial void LogDefaultProgramSetting(ILogger logger, string reason);

    [LoggerMessage(LogLevel.Critical, "Stopping: {Reason} Fix the program template in Blob Storage (README, Templates) and start again")]
    private static partial void LogInvalidTemplate(ILogger logger, string reason);

    [LoggerMessage(LogLevel.Warning, "Storage is not ready yet; the next request or trigger tries again")]
    private static partial void LogNotReady(ILogger logger, Exception exception);

    [LoggerMessage(LogLevel.Information, "Storage ready; issuing passes for program {ProgramId} as {PassTypeIdentifier}")]
    private static partial void LogReady(ILogger logger, string programId, string passTypeIdentifier);

    [LoggerMessage(LogLevel.Warning, "The pass certificate expires on {ExpiresAt:yyyy-MM-dd} ({DaysLeft} days): renew it, or installed passes stop updating")]
    private static partial void LogCertificateExpiring(ILogger logger, DateTimeOffset expiresAt, int daysLeft);
}
