using Azure;
using Azure.Data.Tables;
using WalletPasses.Storage;

namespace WalletPasses.Google;

/// <summary>
/// The right to write one member's Google object, held across instances in its <see cref="GoogleWriteLeaseEntity"/> row.
/// Google applies a PATCH whenever it arrives and takes no precondition
/// (https://developers.google.com/wallet/reference/rest/v1/loyaltyobject/patch), so two instances writing one object
/// can leave the older version standing; so can a write that got no definite answer (<see cref="UnansweredGoogleWrites"/>)
/// and lands after a newer one. One writer at a time, then, and a holder with an unanswered write keeps the lease until it
/// runs out (<see cref="Duration"/> on the app's clock, which is the wall clock in production): its writes stop at
/// <see cref="WriteDeadline"/>, <see cref="Margin"/> before that (on the wall clock, started before the lease's end was
/// set), and whoever takes the lease over next writes the object again (<see cref="TookOverUnanswered"/>). A request
/// still on its way when the lease ends is assumed to land within the margin.
/// </summary>
public sealed class GoogleWriteLease : IAsyncDisposable
{
    /// <summary>How long a lease lasts: shorter than the default Google retry interval (30 s), so a retry finds it run out.</summary>
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Time between the holder's last write and the lease's end, for a request already sent to reach Google and be
    /// applied (and for clocks a little apart between instances).
    /// </summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(5);

    /// <summary>How often a sync looks again at a lease another one holds (wall clock: a wait, not business time).</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest a release may take: one that fails leaves the lease to run out, which is safe.</summary>
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(5);

    private readonly TableClient _table;
    private readonly GoogleWriteLeaseEntity _row;
    private readonly UnansweredGoogleWrites _writes;
    private readonly CancellationTokenSource _deadline;

    private GoogleWriteLease(TableClient table, GoogleWriteLeaseEntity row, UnansweredGoogleWrites writes, CancellationTokenSource deadline, bool tookOverUnanswered)
    {
        _table = table;
        _row = row;
        _writes = writes;
        _deadline = deadline;
        TookOverUnanswered = tookOverUnanswered;
    }

    /// <summary>
    /// The lease was left behind by a sync that may have had a write land after its record was saved (or without one):
    /// the object must be written again even if the record says it shows the member's version.
    /// </summary>
    public bool TookOverUnanswered { get; }

    /// <summary>Cancelled when the holder must stop writing.</summary>
    public CancellationToken WriteDeadline => _deadline.Token;

    /// <summary>
    /// Waits (polling) while another sync holds the member's lease, then takes it. <paramref name="writes"/> are the
    /// holder's: with one unanswered, the lease is not released.
    /// </summary>
    public static async Task<GoogleWriteLease> AcquireAsync(
        TableClient table, string memberId, TimeProvider time, UnansweredGoogleWrites writes, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Started before the lease's end is set, so the holder stops writing at least the margin before it.
            var deadline = new CancellationTokenSource(Duration - Margin);
            var row = new GoogleWriteLeaseEntity { PartitionKey = memberId, Until = time.GetUtcNow() + Duration };
            var taken = false;
            try
            {
                var tookOver = false;
                if (!await ConflictRetry.TryWriteAsync(() => AddAsync(table, row, cancellationToken), StorageConflict.AlreadyExists))
                {
                    var held = await table.GetIfExistsAsync<GoogleWriteLeaseEntity>(memberId, GoogleWriteLeaseEntity.RowKeyValue, cancellationToken);
                    if (held is null)
                    {
                        continue; // released meanwhile
                    }

                    if (held.Until > time.GetUtcNow())
                    {
                        await Task.Delay(PollInterval, TimeProvider.System, cancellationToken);
                        continue;
                    }

                    // Run out: released by nobody, so its holder's last write may still have landed after its record.
                    if (!await ConflictRetry.TryWriteAsync(() => ReplaceAsync(table, row, held.ETag, cancellationToken), StorageConflict.ETagMismatch))
                    {
                        continue; // another sync took it over first
                    }

                    tookOver = true;
                }

                taken = true;
                return new GoogleWriteLease(table, row, writes, deadline, tookOver);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // Released between the read and the takeover: try again.
            }
            finally
            {
                if (!taken)
                {
                    deadline.Dispose();
                }
            }
        }
    }

    /// <summary>Releases the lease, unless a write had no definite answer; a release that fails leaves it to run out.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_writes.Any)
            {
                return;
            }

            using var timeout = new CancellationTokenSource(ReleaseTimeout);
            await _table.DeleteEntityAsync(_row.PartitionKey, _row.RowKey, _row.ETag, timeout.Token);
        }
        catch (Exception e) when (e is RequestFailedException or OperationCanceledException || StorageOutage.Is(e))
        {
            // Storage is failing, or the lease ran out and another sync took it: it ends on its own either way.
        }
        finally
        {
            _deadline.Dispose();
        }
    }

    private static async Task AddAsync(TableClient table, GoogleWriteLeaseEntity row, CancellationToken cancellationToken) =>
        row.ETag = RequireETag(await table.AddEntityAsync(row, cancellationToken));

    private static async Task ReplaceAsync(TableClient table, GoogleWriteLeaseEntity row, ETag held, CancellationToken cancellationToken) =>
        row.ETag = RequireETag(await table.UpdateEntityAsync(row, held, TableUpdateMode.Replace, cancellationToken));

    // Without it the release would be an unconditional delete, which could remove the next holder's lease.
    private static ETag RequireETag(Response response) =>
        response.Headers.ETag ?? throw new InvalidOperationException("Table storage answered a lease write without an ETag.");
}
