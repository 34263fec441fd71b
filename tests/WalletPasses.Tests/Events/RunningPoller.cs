using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WalletPasses.Events;
using WalletPasses.Storage;

namespace WalletPasses.Tests.Events;

/// <summary>A standalone queue poller a test starts itself over an app whose own poller is off, with its own visibility timeout.</summary>
public sealed class RunningPoller : IDisposable
{
    private readonly LoyaltyEventQueuePoller _poller;

    private RunningPoller(LoyaltyEventQueuePoller poller) => _poller = poller;

    public static RunningPoller Start(IServiceProvider services, TimeSpan visibilityTimeout)
    {
        var poller = new LoyaltyEventQueuePoller(
            services.GetRequiredService<LoyaltyEventMessages>(),
            services.GetRequiredService<IStorageReadiness>(),
            Options.Create(new EventsOptions { PollQueue = true, VisibilityTimeout = visibilityTimeout }),
            NullLogger<LoyaltyEventQueuePoller>.Instance);
        poller.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        return new RunningPoller(poller);
    }

    /// <summary>Stops it as the host does on a graceful shutdown (its shutdown timeout never running out).</summary>
    public Task StopAsync() => _poller.StopAsync(CancellationToken.None);

    public void Dispose()
    {
        _poller.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        _poller.Dispose();
    }
}
