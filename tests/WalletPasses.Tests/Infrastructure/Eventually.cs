namespace WalletPasses.Tests.Infrastructure;

/// <summary>Waits for something the app does in the background: polls with a deadline, never sleeps a fixed time to "be sure".</summary>
public static class Eventually
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    /// <param name="step">Runs before each look, for example to advance the app's clock.</param>
    /// <param name="within">How long to wait at most (30 s unless the background work is known to take longer).</param>
    /// <param name="interval">The pause between looks (longer when each look or step is costly).</param>
    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, Action? step = null, TimeSpan? within = null, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + (within ?? Deadline);
        while (true)
        {
            step?.Invoke();
            if (await condition())
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Never happened: {what}.");
            }

            await Task.Delay(interval ?? Interval);
        }
    }

    public static Task HoldsAsync(Func<bool> condition, string what, Action? step = null, TimeSpan? within = null) =>
        HoldsAsync(() => Task.FromResult(condition()), what, step, within);

    /// <summary>Awaits <paramref name="task"/>, running <paramref name="step"/> until it completes (say, to let retry back-offs on the app's clock pass).</summary>
    public static async Task<T> CompletesAsync<T>(Task<T> task, string what, Action step)
    {
        await HoldsAsync(() => task.IsCompleted, what, step);
        return await task;
    }
}
