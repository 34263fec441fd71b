using Google.Apis.Auth.OAuth2.Responses;
using Microsoft.Extensions.Options;
using WalletPasses.Members;

namespace WalletPasses.Google;

/// <summary>
/// Brings members' Google objects up to date within a time budget. What is still pending is not kept here: the
/// member's announcement (<see cref="Delivery.PassAnnouncementEntity"/>) keeps Google pending until a sync succeeds,
/// and <see cref="Delivery.StaleAnnouncementsJob"/> tries again with back-off.
/// </summary>
public sealed partial class GoogleSyncWorker(
    GoogleObjectSync objects,
    IOptions<GoogleWalletOptions> options,
    ILogger<GoogleSyncWorker> logger)
{
    /// <summary>
    /// Syncs the member now, waiting at most <paramref name="budget"/> (wall clock: it bounds what a caller waits,
    /// it is not business time).
    /// </summary>
    /// <returns>Whether Google has the member's current version; the failure otherwise.</returns>
    public async Task<(bool Synced, string? Error)> TrySyncWithinAsync(string memberId, TimeSpan budget, CancellationToken cancellationToken)
    {
        // The budget apart from the caller's token, so the Wallet client's health record tells the two apart.
        using var deadline = new CancellationTokenSource(budget);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        GoogleCallDeadline.Set(deadline.Token);
        try
        {
            await objects.SyncAsync(memberId, timeout.Token);
            return (true, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogDeferred(logger, memberId, budget);
            return (false, $"Google Wallet did not answer within {budget} (or the member's previous sync was still writing)");
        }
        // TokenResponseException: Google's OAuth endpoint refused the key (Google.Apis.Auth raises it, not an HTTP answer).
        catch (Exception e) when (e is HttpRequestException or GoogleWalletException or InvalidOperationException or TokenResponseException)
        {
            LogSyncFailed(logger, e, memberId);
            return (false, "Google Wallet: " + e.Message);
        }
    }

    /// <summary>Whether Google has an object for the member's current pass, syncing (within the issue time-out) if not.</summary>
    public async Task<bool> EnsureIssuedAsync(Member member, CancellationToken cancellationToken) =>
        (await objects.GetStateAsync(member.MemberId, cancellationToken))?.SerialNumber == member.Pass.SerialNumber
        || (await TrySyncWithinAsync(member.MemberId, options.Value.IssueTimeout, cancellationToken)).Synced;

    [LoggerMessage(LogLevel.Warning, "Google Wallet sync of member {MemberId} failed; it stays pending")]
    private static partial void LogSyncFailed(ILogger logger, Exception exception, string memberId);

    [LoggerMessage(LogLevel.Information, "Google Wallet did not answer for member {MemberId} within {Budget}; it stays pending")]
    private static partial void LogDeferred(ILogger logger, string memberId, TimeSpan budget);
}
