using WalletPasses.Jobs;

namespace WalletPasses.Staff;

/// <summary>Retries points webhook deliveries whose back-off is over (<see cref="PointsWebhook"/>).</summary>
public sealed class PointsWebhookJob(PointsWebhook webhook) : IPeriodicJob
{
    /// <summary>NCRONTAB (with seconds) for the Functions timer trigger: every 10 seconds.</summary>
    public const string Schedule = "*/10 * * * * *";

    public string Name => "PointsWebhook";

    public TimeSpan StandaloneInterval => TimeSpan.FromSeconds(10);

    public Task RunOnceAsync(CancellationToken cancellationToken) =>
        webhook.Enabled ? webhook.DeliverDueAsync(cancellationToken) : Task.CompletedTask;
}
