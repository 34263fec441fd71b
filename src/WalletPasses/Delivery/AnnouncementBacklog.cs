using Azure.Data.Tables;
using WalletPasses.Storage;

namespace WalletPasses.Delivery;

/// <summary>
/// How far pass-update delivery is behind, for <c>GET /api/health</c>: the members on the retry index
/// (<see cref="AnnouncementDueEntity"/>: every announcement that is not delivered yet) and, among the first
/// <see cref="SampleSize"/> of them, the oldest announcement still pending (rows the job found delivered and only keeps a
/// while, <see cref="AnnouncementDueEntity.Settled"/>, are skipped; a row without that column, written before it existed, is
/// sampled). A sample bounds the cost of a health
/// call whatever the backlog; when a platform is down every pending announcement is stuck alike, so the sample
/// tells the same story. Read from storage at most every 30 seconds per instance.
/// </summary>
public sealed class AnnouncementBacklog(StorageClients storage, Announcements announcements, TimeProvider time)
{
    public const int SampleSize = 50;

    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private const string SettledColumn = nameof(AnnouncementDueEntity.Settled);

    // Settled rows are read and skipped (every member change leaves one for minutes): large pages keep that to few requests.
    private const int PageSize = 1000;

    // Bounds a health call's reads when a bulk re-issue has just left many settled rows: the sample is then partial.
    private const int MaxRowsRead = 5 * PageSize;

    private volatile CachedReading<AnnouncementBacklogHealth>? _last;

    public async Task<AnnouncementBacklogHealth> GetAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_last is { } last && now - last.ReadAt < CacheFor)
        {
            return last.Value;
        }

        var due = new List<string>();
        var read = 0;
        var table = storage.Table(StorageNames.AnnouncementsDueTable);
        // Settled rows are skipped here, not by a "Settled eq false" filter: Table Storage compares only the properties an
        // entity has, and rows written before the column existed (kept across an upgrade) lack it but may be stuck.
        await foreach (var row in table.QueryAsync<TableEntity>(select: ["PartitionKey", SettledColumn], maxPerPage: PageSize, cancellationToken: cancellationToken))
        {
            if (++read > MaxRowsRead)
            {
                break;
            }

            if (row.GetBoolean(SettledColumn) == true)
            {
                continue;
            }

            due.Add(row.PartitionKey);
            if (due.Count == SampleSize)
            {
                break;
            }
        }

        var pending = (await Task.WhenAll(due.Select(memberId => announcements.GetAsync(memberId, cancellationToken))))
            .Where(announcement => announcement is { IsCleared: false })
            .Select(announcement => announcement!)
            .ToList();
        var health = new AnnouncementBacklogHealth(
            pending.Count,
            due.Count == SampleSize || read > MaxRowsRead,
            pending.Count == 0 ? null : pending.Min(a => a.AnnouncedAt),
            [.. pending.SelectMany(a => a.PendingPlatforms).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
        _last = new(health, now);
        return health;
    }
}
