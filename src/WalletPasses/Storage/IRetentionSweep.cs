namespace WalletPasses.Storage;

/// <summary>A capability's own expired records, deleted with the retention sweep (e.g. Google callback nonces).</summary>
public interface IRetentionSweep
{
    Task SweepAsync(CancellationToken cancellationToken);
}
