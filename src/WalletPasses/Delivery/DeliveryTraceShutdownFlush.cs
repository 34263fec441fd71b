namespace WalletPasses.Delivery;

/// <summary>
/// Writes the buffered delivery trace when the host stops gracefully (a Functions instance scaled in, a redeploy, a
/// standalone restart), so only a crash loses the last <see cref="DeliveryOptions.TraceFlushDelay"/> of rows. Not a
/// loop: it does nothing until the host stops.
/// </summary>
public sealed class DeliveryTraceShutdownFlush(DeliveryTrace trace) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => trace.FlushAsync(cancellationToken);
}
