namespace WalletPasses.Jobs;

/// <summary>
/// Background work the host triggers: a <c>[TimerTrigger]</c> function per job under the Functions host (each
/// job class exposes its NCRONTAB as a <c>public const string Schedule</c>), Hosting's <c>StandaloneJobRunner</c>
/// when standalone. One run does a bounded amount of work and returns; nothing waits in memory between runs,
/// and two instances running a job at once do no harm (the jobs claim rows by ETag or do idempotent work).
/// </summary>
public interface IPeriodicJob
{
    /// <summary>For logs (and the Functions function name).</summary>
    string Name { get; }

    /// <summary>How often the standalone runner starts a run (on the app's clock); the NCRONTAB schedule's period.</summary>
    TimeSpan StandaloneInterval { get; }

    Task RunOnceAsync(CancellationToken cancellationToken);
}
