namespace WalletPasses.Storage;

/// <summary>
/// Whether storage is set up (tables, containers, queues, the program template) for this instance. Set-up runs off the
/// start-up path, so every entry point (requests, queue and timer triggers, the standalone poller and job runner)
/// awaits this first; after the first success it is a completed task.
/// </summary>
public interface IStorageReadiness
{
    /// <summary>Completes when storage is set up; starts (or retries after an outage) the set-up if needed.</summary>
    Task WhenReadyAsync(CancellationToken cancellationToken);
}
