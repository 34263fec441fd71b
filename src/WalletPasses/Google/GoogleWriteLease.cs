using Azure;
using Azure.Data.Tables;
using WalletPasses.Storage;

namespace WalletPasses.Google;

/// <summary>
/// The right to write one member's Google object, held across instances in its <see cref="GoogleWriteLeaseEntity"/> row.
/// Google applies a PATCH whenever it arrives and takes no precondition
/// (https://developers.google.com/wallet/reference/rest/v1/loyaltyobject/patch), so two instances writing one object
/// can leave the older version standing; so can a write that ended without an answer (timed out, connection dropped,
/// process killed) and lands after a newer one. One writer at a time, then, and a write with no answer keeps the lease
/// until it runs out (<see cref="Duration"/>, on the app's clock, which every instance shares): its holder stops writing
/// <see cref="Margin"/> before that (on the wall clock, the same clock in production), and whoever takes the lease over next writes the object again
/// (<see cref="TookOverUnanswered"/>).
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

    private readonly TableClient _table;
    private readonly GoogleWriteLeaseEntity _row;
    private bool _unanswered;

    private GoogleWriteLease(TableClient table, GoogleWriteLeaseEntity row, bool tookOverUnanswered)
    {
        _table = table;
        _row = row;
        TookOverUnanswered = tookOverUnanswered;
    }

    /// <summary>
    /// The lease was left by a sync whose write may have landed after its record was saved (or without one): the object
    /// must be written again even if the record says it shows the member's version.
    /// </summary>
    public bool TookOverUnanswered { get; }

    /// <summary>Waits (polling) while another sync holds the member's lease, then takes it.</summary>
    public static async Task<GoogleWriteLease> AcquireAsync(TableClient table, string memberId, TimeProvider time, CancellationToken cancellationToken)
    {
        while (true)
        {
            var row = new GoogleWriteLeaseEntity { PartitionKey = memberId, Until = time.GetUtcNow() + Duration };
            try
            {
                row.ETag = (await table.AddEntityAsync(row, cancellationToken)).Headers.ETag ?? default;
                return new GoogleWriteLease(table, row, tookOverUnanswered: false);
            }
            catch (RequestFailedException e) when (ConflictRetry.Is(e, StorageConflict.AlreadyExists))
            {
            }

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

            try
            {
                row.ETag = (await table.UpdateEntityAsync(row, held.ETag, TableUpdateMode.Replace, cancellationToken)).Headers.ETag ?? default;
                return new GoogleWriteLease(table, row, tookOverUnanswered: true);
            }
            catch (RequestFailedException e) when (e.Status == 404 || ConflictRetry.Is(e, StorageConflict.ETagMismatch))
            {
                // Released, or taken over by another sync first.
            }
        }
    }

    /// <summary>
    /// Runs one write to Google. One that ends without Google's answer (anything but a <see cref="GoogleWalletException"/>)
    /// may still land, so the lease is then kept until it runs out.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<Task<T>> write)
    {
        _unanswered = true;
        try
        {
            var result = await write();
            _unanswered = false;
            return result;
        }
        catch (GoogleWalletException)
        {
            _unanswered = false; // Google answered: nothing of this write is still on its way
            throw;
        }
    }

    /// <summary>Releases the lease, unless a write had no answer; a release that fails leaves it to run out.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_unanswered)
        {
            return;
        }

        try
        {
            await _table.DeleteEntityAsync(_row.PartitionKey, _row.RowKey, _row.ETag, CancellationToken.None);
        }
        catch (RequestFailedException)
        {
            // Storage is failing, or the lease ran out and another sync took it: it ends on its own either way.
        }
    }
}
