using System.Collections.Concurrent;
using WalletPasses.Members;

namespace WalletPasses.Tests.Infrastructure;

/// <summary>A stand-in for another platform (Apple's pushes): records every pass version it hears of.</summary>
public sealed class RecordingPassNotifier : IPassChangeNotifier
{
    private readonly ConcurrentQueue<Member> _changes = new();

    public IReadOnlyCollection<Member> Changes => _changes;

    public Task PassChangedAsync(Member member, CancellationToken cancellationToken)
    {
        _changes.Enqueue(member);
        return Task.CompletedTask;
    }
}
