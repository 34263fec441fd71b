using WalletPasses.Storage;
using WalletPasses.Jobs;

namespace WalletPasses.Hosting;

/// <summary>
/// The standalone host's stand-in for the Functions timer triggers: runs every registered <see cref="IPeriodicJob"/>
/// every <see cref="IPeriodicJob.StandaloneInterval"/>. A failed run is logged and the job runs again next time.
/// Not registered under the Functions host, whose timer triggers call the same <c>RunOnceAsync</c>.
/// </summary>
public sealed partial class StandaloneJobRunner(
    IEnumerable<IPeriodicJob> jobs,
    IStorageReadiness storage,
    TimeProvider time,
    ILogger<StandaloneJobRunner> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(jobs.Select(job => RunEveryIntervalAsync(job, stoppingToken)));

    private async Task RunEveryIntervalAsync(IPeriodicJob job, CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                // The app's clock: tests advance it to make a run happen.
                await Task.Delay(job.StandaloneInterval, time, stoppingToken);
                try
                {
                    await storage.WhenReadyAsync(stoppingToken);
                    await job.RunOnceAsync(stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    LogRunFailed(logger, e, job.Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(LogLevel.Error, "Background job {Job} failed; it runs again at its next interval")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, string job);
}
