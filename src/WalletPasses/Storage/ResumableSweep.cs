using System.Diagnostics;
using Azure;
using Azure.Data.Tables;

namespace WalletPasses.Storage;

/// <summary>
/// Walks a filtered query over a whole table across runs, a page at a time, keeping its place in storage
/// (<see cref="SweepCursorEntity"/>), so every row is visited within a bounded number of runs however large the table:
/// a run that stops at its cap, its time budget, a Functions timeout or a crash leaves the next run to carry on where
/// it stopped instead of re-reading the head of the table. After the last page the next run starts over.
/// <para>
/// The place is Table Storage's own continuation token, not the last key handled: a filtered query may answer with
/// fewer rows than asked, even none, plus a continuation token (a page ends after 1,000 entities or 5 seconds, "Query
/// timeout and pagination"), and a range of rows the service read without a match is only skipped next time through
/// its token. The token is saved after each page is handled: a crash in between loses at most that page's progress
/// (its rows are handled again, and handling is idempotent), never skips a row. Two instances at once may both save;
/// each saves only the place up to which it handled every row, so the worst is a page read twice.
/// </para>
/// </summary>
public sealed class ResumableSweep(StorageClients storage, TimeProvider time)
{
    private const int MaxPage = 1000; // Table Storage's most entities in one page

    private TableClient Cursors => storage.Table(StorageNames.DeliveryTraceTable);

    /// <summary>
    /// Reads pages of <paramref name="filter"/> from where the last run stopped and hands each to
    /// <paramref name="handle"/> (which answers how many it handled, e.g. deleted), until the end of the table, the end
    /// of the page in which <paramref name="maxHandled"/> were handled (pages of at most that many rows, so a run
    /// handles fewer than twice it) or <paramref name="budget"/> of wall-clock time. A pass keeps the filter it started
    /// with (its cut-off times), as a continuation token is only good for the request it came from; rows that expire
    /// during a pass go with the next. Answers the number handled.
    /// </summary>
    public async Task<int> RunAsync(
        string name,
        TableClient table,
        string filter,
        IReadOnlyList<string> select,
        int maxHandled,
        TimeSpan budget,
        Func<IReadOnlyList<TableEntity>, CancellationToken, Task<int>> handle,
        CancellationToken cancellationToken)
    {
        var cursor = await Cursors.GetIfExistsAsync<SweepCursorEntity>(SweepCursorEntity.Partition, name, cancellationToken)
            ?? new SweepCursorEntity { RowKey = name };
        var pageSize = Math.Min(MaxPage, maxHandled); // the same $top on every request of a pass, as the token requires
        var elapsed = Stopwatch.StartNew();
        var handled = 0;
        while (true)
        {
            if (cursor.Continuation.Length == 0)
            {
                (cursor.Filter, cursor.PassStartedAt) = (filter, time.GetUtcNow());
            }

            var page = await FirstPageAsync(table.QueryAsync<TableEntity>(cursor.Filter, pageSize, select, cancellationToken), cursor.Continuation, pageSize);
            handled += await handle(page.Values, cancellationToken);
            cursor.Continuation = page.ContinuationToken ?? "";
            if (cursor.Continuation.Length == 0)
            {
                (cursor.LastPassStartedAt, cursor.LastPassCompletedAt) = (cursor.PassStartedAt, time.GetUtcNow());
            }

            await Cursors.UpsertEntityAsync(cursor, TableUpdateMode.Replace, cancellationToken);
            if (cursor.Continuation.Length == 0 || handled >= maxHandled || elapsed.Elapsed >= budget)
            {
                return handled; // the pass is complete (the next run starts the next one), or the run's share is done
            }
        }
    }

    private static async Task<Page<TableEntity>> FirstPageAsync(AsyncPageable<TableEntity> query, string continuation, int pageSize)
    {
        await foreach (var page in query.AsPages(continuation.Length == 0 ? null : continuation, pageSize))
        {
            return page;
        }

        throw new InvalidOperationException("A Table Storage query answered without a page."); // not reached: a query answers at least one
    }
}
