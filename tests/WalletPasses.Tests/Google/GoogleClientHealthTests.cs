using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using WalletPasses.Google;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Google;

/// <summary>
/// What the Google client's handler chain records for <c>GET /api/health</c> when the cause is not Google's answer: the
/// app's own rate limit (<see cref="GoogleWalletOptions.RequestsPerSecond"/>) turning calls away, or a caller that stops
/// waiting. Over the real client against <see cref="GoogleWalletFake"/>.
/// </summary>
public sealed class GoogleClientHealthTests : IAsyncLifetime
{
    // ClientRateLimitHandler's wait queue: calls beyond it are turned away by the app itself, before any reaches Google.
    private const int LimiterQueue = 10_000;

    private GoogleWalletFake _fake = null!;

    public async Task InitializeAsync() => _fake = await GoogleWalletFake.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task A_call_the_apps_own_full_rate_limit_queue_turns_away_is_not_reported_as_Googles_429()
    {
        await using var services = _fake.CreateClientServices(options => options.RequestsPerSecond = 1);
        var client = services.GetRequiredService<GoogleWalletClient>();
        var health = services.GetRequiredService<GoogleWalletHealth>();
        using var stop = new CancellationTokenSource();

        // One token a second: the first call takes it, the next LimiterQueue wait for theirs, the one after is turned away.
        var waiting = Enumerable.Range(0, LimiterQueue + 1).Select(_ => client.GetObjectAsync("3388000000022222222.nobody", stop.Token)).ToList();
        var turnedAway = await Record.ExceptionAsync(() => client.GetObjectAsync("3388000000022222222.nobody", stop.Token));
        var failure = health.GetSnapshot().Failing;
        await stop.CancelAsync();
        await Task.WhenAll(waiting.Select(call => Record.ExceptionAsync(() => call)));

        Assert.NotNull(turnedAway);
        Assert.NotNull(failure);
        Assert.DoesNotContain("429", failure.Detail, StringComparison.Ordinal);
        Assert.Contains("the app's own rate limit", failure.Detail, StringComparison.Ordinal);
        Assert.Equal(GoogleCallFailureKind.ClientRateLimit, failure.Kind);
        Assert.Equal(GoogleCallFailureKind.ClientRateLimit, health.GetSnapshot().Failing?.Kind); // the queued calls given up on: the app's queue too
    }

    // A 400 refuses one resource's content (Google's loyaltyObject reference: state is "Required."; the fake refuses an
    // insert without it as Google does): another member's object going through says nothing about it, so health keeps
    // it until that object is written.
    [Fact]
    public async Task A_refused_write_stays_in_health_until_that_object_is_written_not_when_others_go_through()
    {
        await using var services = _fake.CreateClientServices();
        var client = services.GetRequiredService<GoogleWalletClient>();
        var health = services.GetRequiredService<GoogleWalletHealth>();
        await client.InsertClassAsync(GoogleWalletTestData.LoyaltyClass());

        await Assert.ThrowsAsync<GoogleWalletException>(() => client.InsertObjectAsync(GoogleWalletTestData.LoyaltyObject("m-refused") with { State = null }));
        await client.InsertObjectAsync(GoogleWalletTestData.LoyaltyObject("m-other"));
        await client.GetObjectAsync(GoogleWalletTestData.ObjectIdFor("m-refused"));
        var afterOthers = health.GetSnapshot();
        await client.UpsertObjectAsync(GoogleWalletTestData.LoyaltyObject("m-refused"));
        var afterFix = health.GetSnapshot();

        Assert.Equal(GoogleCallFailureKind.RequestRefused, afterOthers.Failing?.Kind);
        Assert.StartsWith("400", afterOthers.Failing?.Detail, StringComparison.Ordinal);
        Assert.Equal(1, afterOthers.RefusedResources);
        Assert.Null(afterFix.Failing);
        Assert.Equal(0, afterFix.RefusedResources);
    }

    // A caller cancelled because the host is stopping (IHostApplicationLifetime.ApplicationStopping, which ends a Functions
    // invocation's and a request's token alike) did not wait in vain for Google: nothing to report.
    [Fact]
    public async Task A_call_given_up_because_the_app_is_stopping_is_not_a_Google_failure()
    {
        var lifetime = NewLifetime();
        await using var services = _fake.CreateClientServices(configure: collection => collection.AddSingleton<IHostApplicationLifetime>(lifetime));
        var client = services.GetRequiredService<GoogleWalletClient>();
        var health = services.GetRequiredService<GoogleWalletHealth>();
        _fake.Availability = GoogleWalletAvailability.Hanging;
        var call = client.GetObjectAsync("3388000000022222222.nobody", lifetime.ApplicationStopping);
        await Eventually.HoldsAsync(() => _fake.ApiRequests.Count > 0, "the call reaches Google");

        lifetime.StopApplication();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Null(health.GetSnapshot().Failing);
    }

    [Fact]
    public async Task A_call_the_caller_gives_up_on_while_Google_hangs_is_no_answer()
    {
        await using var services = _fake.CreateClientServices(configure: collection => collection.AddSingleton<IHostApplicationLifetime>(NewLifetime()));
        var client = services.GetRequiredService<GoogleWalletClient>();
        var health = services.GetRequiredService<GoogleWalletHealth>();
        _fake.Availability = GoogleWalletAvailability.Hanging;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetObjectAsync("3388000000022222222.nobody", timeout.Token));

        Assert.Equal(GoogleCallFailureKind.NoAnswer, health.GetSnapshot().Failing?.Kind);
        Assert.StartsWith("no answer within ", health.GetSnapshot().Failing?.Detail, StringComparison.Ordinal);
    }

    // The host's own lifetime (Microsoft.Extensions.Hosting), not a stand-in: StopApplication cancels ApplicationStopping.
    private static ApplicationLifetime NewLifetime() => new(NullLogger<ApplicationLifetime>.Instance);
}
