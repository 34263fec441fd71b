using WalletPasses.Jobs;
using WalletPasses.Templates;

namespace WalletPasses.Google;

/// <summary>
/// Brings the loyalty class in line with the current template (<see cref="GoogleClassSync"/>): a timer trigger under
/// the Functions host, the standalone job runner otherwise. Not a start-up task: a scaled-from-zero instance answers
/// first, and every object write checks the class itself before it goes out. Registered whether or not Google Wallet
/// is on, so the Functions app declares one timer whatever the settings; with Google off a run does nothing.
/// </summary>
/// <param name="classes">Null while Google Wallet is off (the container passes the default when it is not registered).</param>
public sealed class GoogleClassSyncJob(ITemplateSource templates, GoogleClassSync? classes = null) : IPeriodicJob
{
    /// <summary>NCRONTAB (with seconds) for the Functions timer trigger: every minute, at second 40.</summary>
    public const string Schedule = "40 * * * * *";

    public string Name => "SyncGoogleClass";

    public TimeSpan StandaloneInterval => TimeSpan.FromMinutes(1);

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        if (classes is not null)
        {
            await classes.EnsureCurrentAsync(await templates.GetCurrentAsync(cancellationToken), cancellationToken);
        }
    }
}
