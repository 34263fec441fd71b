using WalletPasses.Jobs;
using WalletPasses.Programs;
using WalletPasses.Templates;

namespace WalletPasses.Google;

/// <summary>
/// Brings every program's loyalty class in line with the program's current template (<see cref="GoogleClassSync"/>): a timer trigger under
/// the Functions host, the standalone job runner otherwise. Not a start-up task: a scaled-from-zero instance answers
/// first, and every object write checks the class itself before it goes out. Registered whether or not Google Wallet
/// is on, so the Functions app declares one timer whatever the settings; with Google off a run does nothing.
/// </summary>
/// <param name="classes">Null while Google Wallet is off (the container passes the default when it is not registered).</param>
public sealed partial class GoogleClassSyncJob(ProgramRegistry programs, ProgramTemplates templates, ILogger<GoogleClassSyncJob> logger, GoogleClassSync? classes = null) : IPeriodicJob
{
    /// <summary>NCRONTAB (with seconds) for the Functions timer trigger: every minute, at second 40.</summary>
    public const string Schedule = "40 * * * * *";

    public string Name => "SyncGoogleClass";

    public TimeSpan StandaloneInterval => TimeSpan.FromMinutes(1);

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        if (classes is null)
        {
            return;
        }

        // One program's failure (Google refusing its class, say) does not keep the other programs' classes behind.
        var failures = new List<Exception>();
        foreach (var program in await programs.AllAsync(cancellationToken))
        {
            try
            {
                // A program with no template that loads (a draft not published yet, or retired: its template or
                // certificate removed) has no class to keep current; failing the run for it would fail every run.
                if (program.IsRetired || await templates.For(program.Id).FindCurrentAsync(cancellationToken) is not { } template)
                {
                    LogProgramSkipped(logger, program.Id);
                    continue;
                }

                await classes.EnsureCurrentAsync(program.Id, template, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogProgramFailed(logger, e, program.Id);
                failures.Add(e);
            }
        }

        if (failures.Count > 0)
        {
            throw new AggregateException("The Google class of some programs could not be synced.", failures);
        }
    }

    [LoggerMessage(LogLevel.Debug, "Program {ProgramId} has no template that loads: no Google class to sync")]
    private static partial void LogProgramSkipped(ILogger logger, string programId);

    [LoggerMessage(LogLevel.Warning, "The Google class of program {ProgramId} could not be synced")]
    private static partial void LogProgramFailed(ILogger logger, Exception exception, string programId);
}
