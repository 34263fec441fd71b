namespace WalletPasses.Members;

/// <summary>
/// In-process, one-at-a-time sections per member (ETags still guard across instances), so a burst for one
/// member queues up instead of racing. Striped: bounded memory for any number of members; two members may
/// share a stripe, which only serializes them.
/// </summary>
public sealed class MemberLocks
{
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    /// <returns>A handle that releases the section when disposed.</returns>
    public async Task<IDisposable> EnterAsync(string memberId, CancellationToken cancellationToken)
    {
        var stripe = _stripes[(int)((uint)StringComparer.Ordinal.GetHashCode(memberId) % _stripes.Length)];
        await stripe.WaitAsync(cancellationToken);
        return new Release(stripe);
    }

    private sealed class Release(SemaphoreSlim stripe) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                stripe.Release();
            }
        }
    }
}
