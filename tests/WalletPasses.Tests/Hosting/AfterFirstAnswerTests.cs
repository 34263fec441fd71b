using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WalletPasses.Hosting;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Hosting;

/// <summary>
/// Cold start (issue 13): the standalone queue poller and the job runner are neither built nor started
/// before the instance's first answer, so a customer's first tap after a scale from zero does not wait behind them;
/// without any request they still start, so an instance that only drains the queue works.
/// </summary>
public sealed class AfterFirstAnswerTests
{
    [Fact]
    public async Task The_service_is_created_and_started_only_once_the_first_answer_is_sent()
    {
        var (services, recorder) = Services();
        var firstAnswer = new FirstAnswer(Timeout.InfiniteTimeSpan);
        var deferred = new AfterFirstAnswer<RecordingService>(services, firstAnswer);

        await deferred.StartAsync(CancellationToken.None);
        Assert.Equal(0, recorder.Created);

        firstAnswer.Answered();
        await Eventually.HoldsAsync(() => recorder.Started == 1, "the service started after the first answer");
        Assert.Equal(1, recorder.Created);

        await deferred.StopAsync(CancellationToken.None);
        Assert.Equal(1, recorder.Stopped);
    }

    [Fact]
    public async Task Stopped_before_any_answer_the_service_is_never_created()
    {
        var (services, recorder) = Services();
        var deferred = new AfterFirstAnswer<RecordingService>(services, new FirstAnswer(Timeout.InfiniteTimeSpan));

        await deferred.StartAsync(CancellationToken.None);
        await deferred.StopAsync(CancellationToken.None);

        Assert.Equal(0, recorder.Created);
    }

    [Fact]
    public async Task Without_any_request_the_service_starts_after_the_longest_wait()
    {
        var (services, recorder) = Services();
        var deferred = new AfterFirstAnswer<RecordingService>(services, new FirstAnswer(TimeSpan.FromMilliseconds(50)));

        await deferred.StartAsync(CancellationToken.None);

        await Eventually.HoldsAsync(() => recorder.Started == 1, "the service started without a request");
        await deferred.StopAsync(CancellationToken.None);
    }

    // Microsoft.Extensions.Hosting's RunAsync (HostingAbstractionsHostExtensions) disposes the host in its finally,
    // without StopAsync when StartAsync failed; under WebApplicationFactory (aspnetcore, Mvc.Testing DeferredHostBuilder)
    // the entry point's RunAsync does so while the factory's teardown calls StopAsync. An answer coming after that (the
    // longest wait running out) must not build the service from the disposed provider, nor make the later stop throw.
    [Fact]
    public async Task Disposed_with_the_host_before_the_first_answer_the_service_is_never_built_and_a_later_stop_does_not_throw()
    {
        var recorder = new Recorder();
        var firstAnswer = new FirstAnswer(Timeout.InfiniteTimeSpan);
        var provider = new ServiceCollection()
            .AddSingleton(recorder)
            .AddSingleton(services => new AfterFirstAnswer<RecordingService>(services, firstAnswer))
            .BuildServiceProvider();
        var deferred = provider.GetRequiredService<AfterFirstAnswer<RecordingService>>();
        await deferred.StartAsync(CancellationToken.None);

        await provider.DisposeAsync(); // disposes the deferred service too, as the host's provider does
        firstAnswer.Answered();

        Assert.Null(await Record.ExceptionAsync(() => deferred.Starting));
        Assert.Null(await Record.ExceptionAsync(() => deferred.StopAsync(CancellationToken.None)));
        Assert.Equal(0, recorder.Created);
    }

    private static (IServiceProvider Services, Recorder Recorder) Services()
    {
        var recorder = new Recorder();
        return (new ServiceCollection().AddSingleton(recorder).BuildServiceProvider(), recorder);
    }

    private sealed class Recorder
    {
        public int Created { get; set; }

        public int Started { get; set; }

        public int Stopped { get; set; }
    }

    private sealed class RecordingService : IHostedService
    {
        private readonly Recorder _recorder;

        public RecordingService(Recorder recorder)
        {
            _recorder = recorder;
            _recorder.Created++;
        }

        public Task StartAsync(CancellationToken cancellationToken)
        {
            _recorder.Started++;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            _recorder.Stopped++;
            return Task.CompletedTask;
        }
    }
}
