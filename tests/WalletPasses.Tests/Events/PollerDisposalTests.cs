using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WalletPasses.Events;

namespace WalletPasses.Tests.Events;

/// <summary>
/// WebApplicationFactory's teardown stops the host while the entry point's RunAsync, woken by the same stop, stops it
/// too and then disposes it (Microsoft.Extensions.Hosting HostingAbstractionsHostExtensions.RunAsync/WaitForShutdownAsync;
/// aspnetcore Mvc.Testing DeferredHostBuilder.DeferredHost.StopAsync): the poller can be disposed before a StopAsync
/// reaches it, whose shutdown time may already have run out.
/// </summary>
public sealed class PollerDisposalTests
{
    [Fact]
    public async Task A_stop_that_reaches_the_poller_after_its_disposal_finishes_without_ObjectDisposedException()
    {
        // The queue and storage are never reached: with PollQueue off (the Functions host's setting) the poll loop returns at once.
        var poller = new LoyaltyEventQueuePoller(null!, null!, Options.Create(new EventsOptions { PollQueue = false }), NullLogger<LoyaltyEventQueuePoller>.Instance);
        await poller.StartAsync(CancellationToken.None);

        poller.Dispose();

        Assert.Null(await Record.ExceptionAsync(() => poller.StopAsync(new CancellationToken(canceled: true))));
    }
}
