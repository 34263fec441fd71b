using WalletPasses.Storage;

namespace WalletPasses.Apple;

/// <summary>
/// Once storage is ready after a start, signs one throwaway pass in the background (<see cref="ApplePasses.WarmUpAsync"/>):
/// lazy work kept off the start-up path and off the first customer's download. A failure only costs that speed.
/// </summary>
public sealed partial class PassSigningWarmUp(IStorageReadiness storage, ApplePasses passes, ILogger<PassSigningWarmUp> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                await storage.WhenReadyAsync(CancellationToken.None);
                await passes.WarmUpAsync(CancellationToken.None);
            }
            catch (Exception e)
            {
                LogWarmUpFailed(logger, e);
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Debug, "Pass signing warm-up did not run; the first download compiles the signing path instead")]
    private static partial void LogWarmUpFailed(ILogger logger, Exception exception);
}
