using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace WalletPasses.Popups;

/// <summary>
/// The pop-ups each program's passes carry now. Pass builders read it (<see cref="GetAtLeastAsync"/>: from memory,
/// looked up again after <see cref="RefreshInterval"/> or when a pass version was made from a newer revision than
/// the one in memory, so no instance builds a version with older pop-ups than it was made with). A change of the
/// pop-ups or of the clock (a pop-up announced, opened or closed) is noticed by <see cref="RefreshAsync"/>, from the
/// API on every change and from <see cref="PopupTransitionsJob"/> on the host's timer: it stores the new revision and
/// starts the re-issue of the program's passes (<see cref="IPopupReissue"/>); no member is visited on the request path.
/// </summary>
public sealed partial class CarriedPopups(
    PopupStore store,
    IPopupReissue reissue,
    IOptions<PopupsOptions> options,
    TimeProvider time,
    ILogger<CarriedPopups> logger)
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(10);

    private const int MaxAttempts = 8;

    private readonly ConcurrentDictionary<string, (CarriedPopupSet Set, DateTimeOffset LoadedAt)> _loaded = new(StringComparer.Ordinal);

    /// <summary>The program's carried pop-ups, of revision <paramref name="revision"/> or newer.</summary>
    public async ValueTask<CarriedPopupSet> GetAtLeastAsync(string programId, long revision, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_loaded.TryGetValue(programId, out var loaded) && loaded.Set.Revision >= revision && now - loaded.LoadedAt < RefreshInterval)
        {
            return loaded.Set;
        }

        var set = (await store.GetCarriedAsync(programId, cancellationToken))?.ToSet() ?? CarriedPopupSet.None;
        Remember(programId, set, now);
        return set;
    }

    /// <summary>
    /// Looks at the program's pop-ups on the clock: when what passes carry differs from the stored revision, stores a
    /// new one; and starts the re-issue of any revision whose re-issue was not started yet. Returns the current revision.
    /// Safe to run anywhere at once: the revision is written under its ETag, and starting a re-issue twice starts one.
    /// </summary>
    public async Task<CarriedPopupSet> RefreshAsync(string programId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var now = time.GetUtcNow();
            // The stored revision first, then the list: a refresh that wrote after our list was read (a pop-up added
            // meanwhile) moves the ETag, so our write from the older list fails and we look again.
            var carried = await store.GetCarriedAsync(programId, cancellationToken);
            var popups = (await store.ListAsync(programId, cancellationToken)).Select(row => row.ToPopup());
            var json = PopupRules.ToJson(PopupRules.Retained(PopupRules.Carried(popups, now, options.Value.AnnounceBefore)));
            if ((carried?.PopupsJson ?? "[]") != json)
            {
                var next = new CarriedPopupsEntity
                {
                    PartitionKey = programId,
                    Revision = (carried?.Revision ?? 0) + 1,
                    ChangedAt = now,
                    PopupsJson = json,
                    ReissuedRevision = carried?.ReissuedRevision ?? 0,
                };
                if (!await store.TryWriteCarriedAsync(next, carried?.ETag, cancellationToken))
                {
                    if (attempt == MaxAttempts)
                    {
                        throw new InvalidOperationException($"The carried pop-ups of program '{programId}' kept changing under {MaxAttempts} attempts.");
                    }

                    continue; // someone else stored a revision meanwhile: look again
                }

                LogRevision(logger, programId, next.Revision, PopupRules.FromJson(json).Count);
                carried = next;
            }

            if (carried is null)
            {
                return CarriedPopupSet.None;
            }

            if (carried.ReissuedRevision < carried.Revision)
            {
                await reissue.StartAsync(programId, carried.Revision, cancellationToken);
                carried.ReissuedRevision = carried.Revision;
                await store.TryWriteCarriedAsync(carried, carried.ETag, cancellationToken); // lost: the next look starts it again, which starts nothing new
            }

            var set = carried.ToSet();
            Remember(programId, set, now);
            return set;
        }
    }

    private void Remember(string programId, CarriedPopupSet set, DateTimeOffset now) =>
        _loaded.AddOrUpdate(programId, (set, now), (_, old) => old.Set.Revision > set.Revision ? old : (set, now));

    [LoggerMessage(LogLevel.Information, "Program {ProgramId}: passes now carry pop-up revision {Revision} ({Count} pop-ups); re-issuing")]
    private static partial void LogRevision(ILogger logger, string programId, long revision, int count);
}
