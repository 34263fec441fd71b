namespace WalletPasses.Members;

/// <summary>A platform that must hear of a new pass version (Apple pushes devices, Google patches its object).</summary>
public interface IPassChangeNotifier
{
    Task PassChangedAsync(Member member, CancellationToken cancellationToken);

    /// <summary>
    /// A member got a new pass; called before its links are handed out, so a platform that keeps the pass
    /// on its own servers (Google) can create it first. Nothing to do for most platforms.
    /// </summary>
    Task PassIssuedAsync(Member member, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// Tells every platform about a new pass version, concurrently, so a slow platform never delays another.
/// A failed notification never loses the update: it is in storage, and devices get it on their next call.
/// </summary>
public sealed partial class PassChanges(IEnumerable<IPassChangeNotifier> notifiers, ILogger<PassChanges> logger)
{
    private readonly IPassChangeNotifier[] _notifiers = notifiers.ToArray();

    public Task NotifyAsync(Member member, CancellationToken cancellationToken) =>
        ForEachNotifierAsync(member, (notifier, token) => notifier.PassChangedAsync(member, token), cancellationToken);

    public Task IssuedAsync(Member member, CancellationToken cancellationToken) =>
        ForEachNotifierAsync(member, (notifier, token) => notifier.PassIssuedAsync(member, token), cancellationToken);

    private Task ForEachNotifierAsync(Member member, Func<IPassChangeNotifier, CancellationToken, Task> notify, CancellationToken cancellationToken) =>
        Task.WhenAll(_notifiers.Select(async notifier =>
        {
            try
            {
                await notify(notifier, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogNotifyFailed(logger, e, notifier.GetType().Name, member.Pass.SerialNumber);
            }
        }));

    [LoggerMessage(LogLevel.Warning, "{Notifier} could not announce the new version of pass {SerialNumber}; devices get it on their next update check")]
    private static partial void LogNotifyFailed(ILogger logger, Exception exception, string notifier, string serialNumber);
}
