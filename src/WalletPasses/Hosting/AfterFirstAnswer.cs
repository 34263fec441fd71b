namespace WalletPasses.Hosting;

/// <summary>
/// Runs the hosted service <typeparamref name="TService"/> once <see cref="FirstAnswer"/> completes. It is created
/// then too: the host builds every hosted service before Kestrel listens, and the poller's and job runner's graphs
/// (storage clients, processors, HTTP clients) would otherwise be built, and their code compiled, ahead of the first
/// answer. Stopping before it started is a no-op; after, it stops the service as the host would. Disposed without a stop
/// (the host's RunAsync disposes it after a failed start, and under WebApplicationFactory the entry point's RunAsync
/// disposes the host while the factory's own stop may still be under way), it never builds the service afterwards from the
/// disposed service provider, whose ObjectDisposedException would otherwise surface from a later StopAsync.
/// </summary>
public sealed class AfterFirstAnswer<TService>(IServiceProvider services, FirstAnswer firstAnswer) : IHostedService, IDisposable
    where TService : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private bool _disposed;
    private TService? _created;
    private Task<TService?>? _started;

    /// <summary>The deferred start: the service once started, or null when it never was (stopped or disposed first).</summary>
    internal Task<TService?> Starting => _started ?? Task.FromResult<TService?>(default);

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
        TService? created;
        lock (_gate)
        {
            _disposed = true;
            created = _created;
        }

        _stopping.Cancel(); // an answer coming later starts nothing
        (created as IDisposable)?.Dispose();
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

        TService service;
        lock (_gate)
        {
            if (_disposed)
            {
                return default;
            }

            try
            {
                service = ActivatorUtilities.CreateInstance<TService>(services);
            }
            catch (ObjectDisposedException)
            {
                return default; // the provider went first (it disposes itself before its singletons, this one among them)
            }

            _created = service;
        }

        await service.StartAsync(_stopping.Token);
        return service;
    }
}
