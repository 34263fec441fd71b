using Microsoft.Extensions.Time.Testing;
using WalletPasses.Apple;

namespace WalletPasses.Tests.Apple;

/// <summary>
/// The failed-authentication counts behind the PassKit web service's 429s (<see cref="PassKitLimits"/>): a key is
/// blocked after its permitted failures until its window is over, and checking a key keeps nothing in memory, so the
/// devices that authenticate, however many, leave no counter behind.
/// </summary>
public sealed class FailureWindowsTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    [Fact]
    public void A_key_is_blocked_after_its_permitted_failures_until_its_window_is_over()
    {
        var clock = new FakeTimeProvider();
        var failures = new FailureWindows<string>(3, Window, clock);

        for (var i = 0; i < 3; i++)
        {
            Assert.Null(failures.RetryAfter("pass-1"));
            failures.Failed("pass-1");
            clock.Advance(TimeSpan.FromSeconds(10));
        }

        Assert.Equal(TimeSpan.FromSeconds(30), failures.RetryAfter("pass-1"));
        Assert.Null(failures.RetryAfter("pass-2"));

        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Null(failures.RetryAfter("pass-1"));
        failures.Failed("pass-1"); // a new window: one failure of three
        Assert.Null(failures.RetryAfter("pass-1"));
    }

    [Fact]
    public void Checking_keys_that_never_failed_keeps_nothing_and_windows_that_are_over_are_dropped()
    {
        var clock = new FakeTimeProvider();
        var failures = new FailureWindows<string>(10, Window, clock);

        for (var i = 0; i < 10_000; i++)
        {
            Assert.Null(failures.RetryAfter($"device-{i}"));
        }

        Assert.Equal(0, failures.Tracked);

        for (var i = 0; i < 1023; i++)
        {
            failures.Failed($"guess-{i}");
        }

        clock.Advance(Window);
        failures.Failed("late"); // the 1024th failure sweeps the windows that are over
        Assert.Equal(1, failures.Tracked);
    }
}
