using WalletPasses.Storage;

namespace WalletPasses.Google;

/// <summary>Expired callback nonces go with the retention sweep.</summary>
public sealed class GoogleCallbackNonceSweep(GoogleCallbacks callbacks) : IRetentionSweep
{
    public Task SweepAsync(CancellationToken cancellationToken) => callbacks.PurgeExpiredNoncesAsync(cancellationToken);
}
