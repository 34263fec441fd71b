namespace WalletPasses.Hosting;

/// <summary>
/// Completes when the instance has sent its first HTTP answer, or <see cref="LongestWait"/> after start if no request
/// comes (an instance that only drains the queue). Work that no request waits for (the standalone queue poller and
/// periodic job runner) starts then (<see cref="AfterFirstAnswer{TService}"/>), so on a scale from zero
/// the customer's first tap does not share the CPU with it.
/// </summary>
public sealed class FirstAnswer
{
    /// <summary>Wall clock on purpose: it bounds a start-up delay, it is not business time.</summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(2);

    private readonly TaskCompletionSource _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FirstAnswer(TimeSpan longestWait) => _ = Task.Delay(longestWait).ContinueWith(_ => Answered(), TaskScheduler.Default);

    public bool HasAnswered => _answered.Task.IsCompleted;

    public Task WhenAnsweredAsync(CancellationToken cancellationToken) => _answered.Task.WaitAsync(cancellationToken);

    public void Answered() => _answered.TrySetResult();
}
