namespace WalletPasses.Popups;

/// <summary>
/// Starts bringing every pass of a program to a revision of its carried pop-ups (the bulk re-issue, implemented by
/// Publishing). Safe to call twice for one revision; returns once the re-issue is recorded, before any member is visited.
/// </summary>
public interface IPopupReissue
{
    Task StartAsync(string programId, long revision, CancellationToken cancellationToken);
}
