namespace WalletPasses.Hosting;

/// <summary>
/// Runs the hosted service <typeparamref name="TService"/> once <see cref="FirstAnswer"/> completes. It is created
/// then too: the host builds every hosted service before Kestrel listens, and the poller's and job runner's graphs
/// (storage clients, processors, HTTP clients) would otherwise be built, and their code compiled, ahead of the first
/// answer. Stopping before it started is a no-op; after, it stops the service as the host would.
/// </summary>
public sealed class AfterFirstAnswer<TService>(IServiceProvider services, FirstAnswer firstAnswer) : IHostedService, IDisposable
    where TService : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private Task<TService?>? _started;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _started = StartLaterAsync();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        if (_started is not null && await _started is { } service)
        {
            await service.StopAsync(cancellationToken);
        }
    }

    // The token source is not disposed: the host may call StopAsync after Dispose, and one without a timer holds nothing.
    public void Dispose()
    {
        if (_started is { IsCompletedSuccessfully: true, Result: IDisposable disposable })
        {
            disposable.Dispose();
        }
    }

    private async Task<TService?> StartLaterAsync()
    {
        try
        {
            await firstAnswer.WhenAnsweredAsync(_stopping.Token);
        }
        catch (OperationCanceledException)
        {
            return default; // stopped before the first answer: never created
        }

        var service = ActivatorUtilities.CreateInstance<TService>(services);
        await service.StartAsync(_stopping.Token);
        return service;
    }
}
