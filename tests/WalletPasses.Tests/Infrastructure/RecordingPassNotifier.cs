using System.Collections.Concurrent;
using WalletPasses.Members;

namespace WalletPasses.Tests.Infrastructure;

/// <summary>A stand-in for another platform (Apple's pushes): records every pass version it hears of.</summary>
public sealed class RecordingPassNotifier : IPassChangeNotifier
{
    private readonly ConcurrentQueue<Member> _changes = new();

    public IReadOnlyCollection<Member> Changes => _changes;

    public string Platform => "recording";

    public TimeSpan RetryInterval => TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay => TimeSpan.FromMinutes(5);

    public Task<PlatformDelivery> PassChangedAsync(Member member, string? record, CancellationToken cancellationToken)
    {
        _changes.Enqueue(member);
        return Task.FromResult(new PlatformDelivery(true, null));
    }
}
