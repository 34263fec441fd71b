using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using WalletPasses.Members;
using WalletPasses.Storage;

namespace WalletPasses.Delivery;

/// <summary>Storage of the outbox rows (<see cref="PassAnnouncementEntity"/>) and of the retry index (<see cref="AnnouncementDueEntity"/>).</summary>
public sealed class Announcements(StorageClients storage, IEnumerable<IPassChangeNotifier> notifiers, IOptions<DeliveryOptions> options, TimeProvider time) : IPassVersionOutbox
{
    private readonly string _platforms = string.Join(' ', notifiers.Select(n => n.Platform));

    private TableClient Due => storage.Table(StorageNames.AnnouncementsDueTable);

    /// <summary>
    /// The transaction action that announces the member's new version to every platform: submit it with the
    /// member row's update, in the same entity group transaction.
    /// </summary>
    public TableTransactionAction Announce(MemberEntity member) => Announce(member, except: []);

    /// <summary>
    /// As <see cref="Announce(MemberEntity)"/>, leaving out platforms that have nothing new to show for this version (a
    /// template publication that changes no Google object field): they count as having heard of it.
    /// </summary>
    public TableTransactionAction Announce(MemberEntity member, IReadOnlyCollection<string> except) =>
        new(TableTransactionActionType.UpsertReplace, new PassAnnouncementEntity
        {
            PartitionKey = member.PartitionKey,
            SerialNumber = member.SerialNumber,
            Version = member.PassVersion,
            AnnouncedAt = time.GetUtcNow(),
            Pending = except.Count == 0 ? _platforms : string.Join(' ', _platforms.Split(' ').Where(p => !except.Contains(p))),
        });

    /// <summary>
    /// For a device newly registered for the member's pass at <paramref name="version"/>: the action that owes it that
    /// version (<see cref="LateRegistrationRule"/>), to submit with the registration under the announcement's ETag (a
    /// row added when the member has none, from a release before the outbox), or null when nothing is owed.
    /// </summary>
    public async Task<TableTransactionAction?> OweNewDeviceAsync(string memberId, string serialNumber, long version, string deviceLibraryIdentifier, CancellationToken cancellationToken)
    {
        if (!LateRegistrationRule.Owes(version))
        {
            return null;
        }

        if (await GetAsync(memberId, cancellationToken) is { } announcement)
        {
            return new(TableTransactionActionType.UpdateReplace, LateRegistrationRule.Reopen(announcement, deviceLibraryIdentifier), announcement.ETag);
        }

        var owed = new PassAnnouncementEntity { PartitionKey = memberId, SerialNumber = serialNumber, Version = version, AnnouncedAt = time.GetUtcNow() };
        return new(TableTransactionActionType.Add, LateRegistrationRule.Reopen(owed, deviceLibraryIdentifier));
    }

    /// <summary>The platforms every new version is announced to.</summary>
    public IReadOnlyList<string> Platforms => _platforms.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The announcement as submitted, with the ETag the transaction gave it (no read needed to deliver it).</summary>
    public static PassAnnouncementEntity Submitted(TableTransactionAction announce, Response<IReadOnlyList<Response>> result, int index)
    {
        var announcement = (PassAnnouncementEntity)announce.Entity;
        announcement.ETag = result.Value[index].Headers.ETag ?? ETag.All;
        return announcement;
    }

    public Task<PassAnnouncementEntity?> GetAsync(string memberId, CancellationToken cancellationToken) =>
        storage.Members.GetIfExistsAsync<PassAnnouncementEntity>(memberId, PassAnnouncementEntity.RowKeyValue, cancellationToken);

    /// <summary>
    /// Saves the delivery progress, with <paramref name="alongside"/> rows of the member's partition (trace rows) in the
    /// same transaction; false when a newer version replaced the announcement meanwhile (its delivery carries on). A row
    /// alongside that storage refuses is dropped and the announcement saved alone: its delivery never waits for the trace.
    /// </summary>
    public async Task<bool> SaveAsync(PassAnnouncementEntity announcement, IReadOnlyList<ITableEntity> alongside, CancellationToken cancellationToken)
    {
        try
        {
            var response = alongside.Count == 0
                ? await storage.Members.UpdateEntityAsync(announcement, announcement.ETag, TableUpdateMode.Replace, cancellationToken)
                : (await storage.Members.SubmitTransactionAsync(
                    alongside.Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, row))
                        .Prepend(new TableTransactionAction(TableTransactionActionType.UpdateReplace, announcement, announcement.ETag)),
                    cancellationToken)).Value[0];
            announcement.ETag = response.Headers.ETag ?? announcement.ETag;
            return true;
        }
        catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex > 0)
        {
            return await SaveAsync(announcement, [], cancellationToken); // the announcement is action 0; a trace row failed
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412 || e.ErrorCode is "ResourceNotFound" or "UpdateConditionNotSatisfied")
        {
            return false;
        }
    }

    // How long after marking a member announcing its transaction may still commit: the storage SDK's default retry
    // policy (Azure.Core RetryOptions: 3 retries, a 100 s network time-out each, back-off up to a minute) bounds one
    // commit below 8 minutes, and every retried commit marks the member again.
    private static readonly TimeSpan AnnouncingWindow = TimeSpan.FromMinutes(10);

    /// <summary>Puts the member on the retry index, due at <paramref name="at"/> (merged: a marking request's window stays).</summary>
    public Task MarkDueAsync(string memberId, DateTimeOffset at, string? error, CancellationToken cancellationToken) =>
        MarkAsync(new AnnouncementDueEntity { PartitionKey = memberId, NextAttemptAt = at, LastError = error }, cancellationToken);

    /// <summary>
    /// Before a request that nothing redelivers (a member PUT or DELETE) announces a version: if the process dies
    /// before the delivery finishes, the job finds the member here (one retry interval later). The commit may land after
    /// the job's visit (storage slow), so the row stays until <see cref="AnnouncementDueEntity.AnnouncingUntil"/>.
    /// </summary>
    public Task MarkAnnouncingAsync(string memberId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return MarkAsync(new AnnouncementDueEntity { PartitionKey = memberId, NextAttemptAt = now + options.Value.RetryInterval, AnnouncingUntil = now + AnnouncingWindow }, cancellationToken);
    }

    private Task<Response> MarkAsync(AnnouncementDueEntity due, CancellationToken cancellationToken) =>
        Due.UpsertEntityAsync(due, TableUpdateMode.Merge, cancellationToken);

    /// <summary>Due rows whose time has come, at most <paramref name="max"/>.</summary>
    public async Task<IReadOnlyList<AnnouncementDueEntity>> DueAsync(int max, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = new List<AnnouncementDueEntity>();
        await foreach (var row in Due.QueryAsync<AnnouncementDueEntity>(row => row.NextAttemptAt <= now, maxPerPage: max, cancellationToken: cancellationToken))
        {
            due.Add(row);
            if (due.Count == max)
            {
                break;
            }
        }

        return due;
    }

    /// <summary>
    /// Moves a due row <paramref name="lease"/> on so other instances leave it alone meanwhile; false when another
    /// instance (or a newer failure) got there first.
    /// </summary>
    public async Task<bool> TryClaimAsync(AnnouncementDueEntity due, TimeSpan lease, CancellationToken cancellationToken)
    {
        due.NextAttemptAt = time.GetUtcNow() + lease;
        try
        {
            var response = await Due.UpdateEntityAsync(due, due.ETag, TableUpdateMode.Replace, cancellationToken);
            due.ETag = response.Headers.ETag ?? due.ETag;
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    /// <summary>
    /// Removes a claimed due row after its announcement was found cleared. By its ETag: if anything marked the
    /// member due again since the claim (a newer version failed), that row stays. A row whose marking request may still
    /// commit a version (<see cref="AnnouncementDueEntity.AnnouncingUntil"/>) is moved to then instead: removed now, a
    /// version committed after this visit by a process that then died would be on no index.
    /// </summary>
    public async Task RemoveDueAsync(AnnouncementDueEntity due, CancellationToken cancellationToken)
    {
        if (due.AnnouncingUntil is { } until && until > time.GetUtcNow())
        {
            due.NextAttemptAt = until;
            due.AnnouncingUntil = null;
            due.Settled = true;
            try
            {
                await Due.UpdateEntityAsync(due, due.ETag, TableUpdateMode.Replace, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // Marked again meanwhile (or removed by another instance): leave it.
            }

            return;
        }

        await Due.DeleteIfUnchangedAsync(due.PartitionKey, due.RowKey, due.ETag, cancellationToken); // marked again meanwhile (or removed by another instance): leave it
    }
}
