namespace WalletPasses.Members;

/// <summary>
/// A platform that holds back an important alert it refused to give (Google's notification quota) until it may give it,
/// while the update itself is already shown. Its due time is a row of <c>alertsdue</c> whose RowKey is
/// <see cref="DueRowKey"/>; the deferred-alerts job calls <see cref="SendDueAsync"/> when it falls due.
/// </summary>
public interface IHeldPlatformAlerts
{
    /// <summary>The RowKey of the platform's rows in <c>alertsdue</c> (never empty: the empty one is the member's own deferred alert).</summary>
    string DueRowKey { get; }

    /// <summary>Sends the member's held-back alert if it is still owed (marking it due again if it must wait longer).</summary>
    /// <returns>False when the platform failed and the row must stay due for the next run.</returns>
    Task<bool> SendDueAsync(string memberId, CancellationToken cancellationToken);
}
