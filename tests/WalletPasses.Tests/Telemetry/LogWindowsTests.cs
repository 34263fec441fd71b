using Microsoft.Extensions.Time.Testing;
using WalletPasses.Telemetry;

namespace WalletPasses.Tests.Telemetry;

/// <summary>
/// The rule that bounds log lines anonymous callers can cause (<see cref="LogWindows{TKey}"/>): per key, the first
/// occurrence of a window is written, the rest counted and reported by the key's next line.
/// </summary>
public sealed class LogWindowsTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    [Fact]
    public void The_first_occurrence_of_each_key_per_window_is_written_and_the_next_line_counts_those_left_out()
    {
        var clock = new FakeTimeProvider();
        var windows = new LogWindows<string>(Window, clock);

        Assert.Equal(0, windows.Occurred("Malformed"));
        Assert.Equal(0, windows.Occurred("MessageExpired")); // another reason is written at once
        for (var i = 0; i < 5; i++)
        {
            Assert.Null(windows.Occurred("Malformed"));
        }

        clock.Advance(Window - TimeSpan.FromTicks(1));
        Assert.Null(windows.Occurred("Malformed"));

        clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(6, windows.Occurred("Malformed"));
        Assert.Null(windows.Occurred("Malformed"));
        Assert.Equal(0, windows.Occurred("MessageExpired")); // its own window is over too, with none left out

        clock.Advance(Window * 10);
        Assert.Equal(1, windows.Occurred("Malformed"));
    }
}
