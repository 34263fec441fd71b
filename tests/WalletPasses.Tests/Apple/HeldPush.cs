namespace WalletPasses.Tests.Apple;

/// <summary>A push the <see cref="ApnsEmulator"/> keeps unanswered until the test releases it.</summary>
public sealed class HeldPush
{
    private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the push has reached the emulator (and is being held).</summary>
    public Task Arrived => _arrived.Task;

    /// <summary>Lets the held push go on to be answered as scripted.</summary>
    public void Release() => _released.TrySetResult();

    internal async Task HoldAsync(CancellationToken requestAborted)
    {
        _arrived.TrySetResult();
        await _released.Task.WaitAsync(requestAborted);
    }
}
