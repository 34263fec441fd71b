using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using WalletPasses.Members;
using WalletPasses.Storage;

namespace WalletPasses.Apple;

/// <summary>
/// Apple device registrations, stored in both directions so that no path scans (registration storms are
/// normal): a <c>reg|{deviceLibraryIdentifier}</c> row in the member's partition of <c>members</c>, so pushing
/// to all of a member's devices is one partition range query; and a row in <c>devices</c>
/// (PartitionKey = device, RowKey = serial number) for the device's "what changed" call.
/// The two tables share no transaction: registering writes the device row first and the member-partition
/// row last, unregistering deletes in the opposite order, so a failure in between leaves at most an index
/// row that the device's retry repairs, never a push target the device cannot list.
/// A pass keeps at most <see cref="PassKitOptions.MaxDevicesPerPass"/> registrations, the most recent ones.
/// The member row holds a copy of the member's registrations (<see cref="MemberRowDevices"/>), changed in the same
/// transaction as the rows: an event, which reads the member row anyway, pushes without querying them.
/// A new registration of a pass changed since its issue also owes its device the current version through the outbox
/// (<see cref="IPassVersionOutbox.OweNewDeviceAsync"/>), in the same transaction: the device may hold an older copy, and
/// it asks what changed only after a push.
/// </summary>
public sealed class DeviceRegistrations(StorageClients storage, IOptions<PassKitOptions> options, TimeProvider time)
{
    public const string RowKeyPrefix = TableRows.Members.RegistrationPrefix;

    // RowKey in ["reg|", "reg}") is exactly a partition's registration rows.
    private static readonly string RowKeyEnd = TableRows.RangeEnd(RowKeyPrefix);

    private const int MaxAttempts = 20;

    private static readonly string[] DevicesColumn = [nameof(MemberEntity.DevicesJson)];

    // The member row's columns a registration reads: its copy of the registrations, and the pass a new device is owed.
    private static readonly string[] RegistrationColumns = [nameof(MemberEntity.DevicesJson), nameof(MemberEntity.SerialNumber), nameof(MemberEntity.PassVersion)];

    /// <summary>
    /// Registers the device for the pass (idempotent); a known registration only has its push token and
    /// <see cref="DeviceRegistration.LastRegisteredAt"/> refreshed. A new one is owed the pass's current version through
    /// <paramref name="outbox"/> (handed in by the caller: the outbox's delivery pushes through these registrations).
    /// </summary>
    public async Task<RegistrationOutcome> RegisterAsync(
        string memberId, string serialNumber, string deviceLibraryIdentifier, string pushToken, IPassVersionOutbox outbox, CancellationToken cancellationToken)
    {
        var rowKey = TableRows.Members.Registration(deviceLibraryIdentifier);
        var existing = await storage.Members.GetIfExistsAsync<DeviceRegistrationEntity>(memberId, rowKey, cancellationToken);
        var now = time.GetUtcNow();
        if (existing is not null && existing.SerialNumber == serialNumber)
        {
            if (existing.PushToken != pushToken)
            {
                existing.PushToken = pushToken;
                existing.RegisteredAt = now; // a device that renews its token is among the most recent
            }

            // Written even with the same token: a 410 dated before this registration must not remove it (GoneTokenRule).
            existing.LastRegisteredAt = now;
            await CommitAsync(memberId, devices => Put(devices, existing, new(TableTransactionActionType.UpsertReplace, existing)), cancellationToken);

            // After the commit: a "device gone" that removed the registration just before it also deletes this index row
            // (RemoveGoneTokenAsync); written again, the device lists the pass again.
            await PutIndexRowAsync(deviceLibraryIdentifier, serialNumber, memberId, cancellationToken);
            return RegistrationOutcome.AlreadyRegistered;
        }

        await PutIndexRowAsync(deviceLibraryIdentifier, serialNumber, memberId, cancellationToken);

        var registration = new DeviceRegistrationEntity
        {
            PartitionKey = memberId,
            RowKey = rowKey,
            PushToken = pushToken,
            SerialNumber = serialNumber,
            RegisteredAt = now,
            LastRegisteredAt = now,
        };
        try
        {
            // Insert (or replace the row of an earlier serial number by its ETag) so that of concurrent
            // retries of the same registration exactly one reports it as new.
            await CommitAsync(
                memberId,
                devices => Put(devices, registration, existing is null ? new(TableTransactionActionType.Add, registration) : new(TableTransactionActionType.UpdateReplace, registration, existing.ETag)),
                cancellationToken,
                owedTo: (serialNumber, deviceLibraryIdentifier, outbox));
            await KeepMostRecentAsync(memberId, serialNumber, deviceLibraryIdentifier, cancellationToken);
            return RegistrationOutcome.Created;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            await CommitAsync(memberId, devices => Put(devices, registration, new(TableTransactionActionType.UpsertReplace, registration)), cancellationToken);
            return RegistrationOutcome.AlreadyRegistered;
        }
    }

    /// <summary>
    /// The registrations the member row lists (<see cref="MemberRowDevices"/>) serve <see cref="ForMemberAsync"/> for that
    /// member until disposed, in this async flow only: an event that read the member row pushes without a query. Null
    /// (nothing to dispose) when the row does not list them.
    /// </summary>
    public static IDisposable? UseMemberRow(string memberId, string? devicesJson) =>
        MemberRowDevices.Parse(devicesJson) is { } devices
            ? UsePreloaded(new Dictionary<string, IReadOnlyList<DeviceRegistration>>(StringComparer.Ordinal) { [memberId] = devices })
            : null;

    /// <summary>
    /// Writes the member row's copy of its registrations (<see cref="MemberRowDevices"/>) when the row has none (stored
    /// before the copy existed): erasure calls it, because <see cref="ErasedMemberDevicesSweep"/> finds an erased member's
    /// devices by that copy, and a row without it would keep its push tokens for good. Nothing when the row already has it.
    /// </summary>
    public async Task CopyToMemberRowAsync(string memberId, CancellationToken cancellationToken)
    {
        await ConflictRetry.RunAsync("Device registration copy", MaxAttempts, async _ =>
        {
            var member = await storage.Members.GetEntityIfExistsAsync<TableEntity>(memberId, TableRows.Members.Member, DevicesColumn, cancellationToken);
            if (!member.HasValue || member.Value!.GetString(DevicesColumn[0]) is not null)
            {
                return true;
            }

            var copy = new TableEntity(memberId, TableRows.Members.Member) { [DevicesColumn[0]] = MemberRowDevices.Write(await QueryAsync(memberId, cancellationToken)) };

            // A registration changed meanwhile (412): it wrote the copy itself, read again.
            return await ConflictRetry.TryWriteAsync(() => storage.Members.UpdateEntityAsync(copy, member.Value.ETag, TableUpdateMode.Merge, cancellationToken), StorageConflict.ETagMismatch);
        });
    }

    /// <summary>
    /// Commits one change of the member's <c>reg|</c> rows together with the member row's copy of them
    /// (<see cref="MemberRowDevices"/>) in one entity group transaction, the member row merged under the ETag just read:
    /// a concurrent event or registration makes it start over from a fresh read, so the copy never misses a change.
    /// <paramref name="change"/> gets the current registrations, changes the list, and returns the row's action (null:
    /// nothing to write). Without a member row the action goes alone. A refusal of the action itself surfaces as the single
    /// write's would (the callers look for 409 and 412).
    /// With <paramref name="owedTo"/> (a new registration: the serial number and the device) the outbox's action owing the
    /// device the pass's current version goes in the same transaction, under the announcement's ETag, so a version
    /// announced meanwhile, or a delivery that saved meanwhile, makes it start over; the member is put on the retry index
    /// first (<see cref="IPassVersionOutbox.MarkAnnouncingAsync"/>), so the push goes out even if this process dies
    /// right after the commit.
    /// </summary>
    private async Task CommitAsync(
        string memberId, Func<List<DeviceRegistration>, TableTransactionAction?> change, CancellationToken cancellationToken, (string SerialNumber, string Device, IPassVersionOutbox Outbox)? owedTo = null)
    {
        var marked = false;
        await ConflictRetry.RunAsync("Device registration", MaxAttempts, async attempt =>
        {
            var member = await storage.Members.GetEntityIfExistsAsync<TableEntity>(memberId, TableRows.Members.Member, owedTo is null ? DevicesColumn : RegistrationColumns, cancellationToken);
            var devices = (member.HasValue ? MemberRowDevices.Parse(member.Value!.GetString(DevicesColumn[0])) : null)?.ToList()
                ?? [.. await QueryAsync(memberId, cancellationToken)];
            if (change(devices) is not { } action)
            {
                return true;
            }

            // A row the copy lists may be gone already (removed by an instance that predates the copy): delete no row then.
            List<TableTransactionAction> actions = action.ActionType == TableTransactionActionType.Delete && !await ExistsAsync(action.Entity, cancellationToken) ? [] : [action];
            var owed = -1;
            if (owedTo is { } to && member.HasValue && member.Value!.GetString(nameof(MemberEntity.SerialNumber)) == to.SerialNumber
                && await to.Outbox.OweNewDeviceAsync(memberId, to.SerialNumber, member.Value!.GetInt64(nameof(MemberEntity.PassVersion)) ?? 0, to.Device, cancellationToken) is { } owe)
            {
                if (!marked)
                {
                    await to.Outbox.MarkAnnouncingAsync(memberId, cancellationToken);
                    marked = true;
                }

                owed = actions.Count;
                actions.Add(owe);
            }

            if (member.HasValue)
            {
                var copy = new TableEntity(memberId, TableRows.Members.Member) { [DevicesColumn[0]] = MemberRowDevices.Write(devices) };
                actions.Add(new(TableTransactionActionType.UpdateMerge, copy, member.Value!.ETag));
            }

            try
            {
                if (actions.Count > 0)
                {
                    await storage.Members.SubmitTransactionAsync(actions, cancellationToken);
                }

                return true;
            }
            catch (TableTransactionFailedException e) when (LostRace(e, actions, member.HasValue) || (e.FailedTransactionActionIndex == owed && ConflictRetry.Is(e, StorageConflict.ETagMismatch | StorageConflict.AlreadyExists)))
            {
                await ConflictRetry.BackOffAsync(attempt, cancellationToken); // the member row changed meanwhile
                return false;
            }
        });
    }

    /// <summary>
    /// Whether the transaction failed because another writer got there first, so a fresh read decides again: the member
    /// row changed since its ETag was read (its merge is the last action), or the row to delete was deleted meanwhile (two
    /// instances trimming the same pass's devices at once both drop its least recent one; the table answers the second
    /// delete 404, and the fresh read no longer lists the device). The caller adds the announcement changed meanwhile.
    /// </summary>
    private static bool LostRace(TableTransactionFailedException e, List<TableTransactionAction> actions, bool withMemberRow)
    {
        var failed = e.FailedTransactionActionIndex ?? actions.Count - 1;
        return (withMemberRow && failed == actions.Count - 1 && ConflictRetry.Is(e, StorageConflict.ETagMismatch))
            || (failed < actions.Count && actions[failed].ActionType == TableTransactionActionType.Delete && ConflictRetry.Is(e, StorageConflict.Gone));
    }

    /// <summary>Replaces the device's entry of <paramref name="devices"/> with <paramref name="row"/>'s; returns <paramref name="action"/>.</summary>
    private static TableTransactionAction Put(List<DeviceRegistration> devices, DeviceRegistrationEntity row, TableTransactionAction action)
    {
        var registration = Of(row);
        devices.RemoveAll(d => d.DeviceLibraryIdentifier == registration.DeviceLibraryIdentifier);
        devices.Add(registration);
        return action;
    }

    private async Task<bool> ExistsAsync(ITableEntity row, CancellationToken cancellationToken) =>
        (await storage.Members.GetEntityIfExistsAsync<TableEntity>(row.PartitionKey, row.RowKey, DevicesColumn, cancellationToken)).HasValue;

    // Registrations a bulk job read for many members at once (ForMembersAsync), for the async flow that delivers to them.
    private static readonly AsyncLocal<IReadOnlyDictionary<string, IReadOnlyList<DeviceRegistration>>?> Preloaded = new();

    /// <summary>
    /// Every device registered for the member's pass: one partition range query (none inside <see cref="UsePreloaded"/>
    /// for a member it holds).
    /// </summary>
    public async Task<IReadOnlyList<DeviceRegistration>> ForMemberAsync(string memberId, CancellationToken cancellationToken)
    {
        return Preloaded.Value is { } preloaded && preloaded.TryGetValue(memberId, out var known) ? known : await QueryAsync(memberId, cancellationToken);
    }

    private async Task<IReadOnlyList<DeviceRegistration>> QueryAsync(string memberId, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {memberId} and RowKey ge {RowKeyPrefix} and RowKey lt {RowKeyEnd}");
        var registrations = new List<DeviceRegistration>();
        await foreach (var row in storage.Members.QueryAsync<DeviceRegistrationEntity>(filter, cancellationToken: cancellationToken))
        {
            registrations.Add(Of(row));
        }

        return registrations;
    }

    /// <summary>
    /// The registrations of each of <paramref name="memberIds"/> (ascending, as a walk in member-id order reads them;
    /// a member without devices has an empty list): one range query over their partitions instead of one per member.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<DeviceRegistration>>> ForMembersAsync(IReadOnlyList<string> memberIds, CancellationToken cancellationToken)
    {
        var registrations = memberIds.ToDictionary(id => id, _ => new List<DeviceRegistration>(), StringComparer.Ordinal);
        if (memberIds.Count == 0)
        {
            return new Dictionary<string, IReadOnlyList<DeviceRegistration>>(StringComparer.Ordinal);
        }

        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {memberIds[0]} and PartitionKey le {memberIds[^1]} and RowKey ge {RowKeyPrefix} and RowKey lt {RowKeyEnd}");
        await foreach (var row in storage.Members.QueryAsync<DeviceRegistrationEntity>(filter, cancellationToken: cancellationToken))
        {
            registrations.GetValueOrDefault(row.PartitionKey)?.Add(Of(row));
        }

        return registrations.ToDictionary(r => r.Key, r => (IReadOnlyList<DeviceRegistration>)r.Value, StringComparer.Ordinal);
    }

    /// <summary>
    /// Until disposed, <see cref="ForMemberAsync"/> answers from <paramref name="registrations"/> (read by
    /// <see cref="ForMembersAsync"/>) for the members it holds, in this async flow only: a bulk job that read them once
    /// delivers to each member without reading them again.
    /// </summary>
    public static IDisposable UsePreloaded(IReadOnlyDictionary<string, IReadOnlyList<DeviceRegistration>> registrations)
    {
        var outer = Preloaded.Value;
        Preloaded.Value = registrations;
        return new PreloadedScope(outer);
    }

    /// <summary>
    /// Drops the least recently registered devices of the pass beyond the cap (never the one just registered), so
    /// one leaked pass cannot gather push targets and a customer's new phone always gets in. Concurrent
    /// registrations may leave one too many for a moment; the next registration trims it.
    /// </summary>
    private async Task KeepMostRecentAsync(string memberId, string serialNumber, string newDevice, CancellationToken cancellationToken)
    {
        var devices = (await ForMemberAsync(memberId, cancellationToken)).Where(r => r.SerialNumber == serialNumber).ToList();
        var dropped = devices
            .OrderByDescending(r => r.DeviceLibraryIdentifier == newDevice)
            .ThenByDescending(r => r.RegisteredAt)
            .Skip(options.Value.MaxDevicesPerPass);
        foreach (var device in dropped)
        {
            await RemoveAsync(memberId, device.DeviceLibraryIdentifier, serialNumber, cancellationToken);
        }
    }

    /// <summary>Every pass registered on the device: one partition query.</summary>
    public async Task<IReadOnlyList<RegisteredPass>> OnDeviceAsync(string deviceLibraryIdentifier, CancellationToken cancellationToken)
    {
        var passes = new List<RegisteredPass>();
        await foreach (var row in storage.Devices.QueryAsync<DevicePassEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {deviceLibraryIdentifier}"), cancellationToken: cancellationToken))
        {
            passes.Add(new RegisteredPass(row.RowKey, row.MemberId));
        }

        return passes;
    }

    /// <summary>
    /// Removes the registration (both rows; nothing happens when there is none). Returns whether the device
    /// was registered.
    /// </summary>
    public async Task<bool> RemoveAsync(string memberId, string deviceLibraryIdentifier, string serialNumber, CancellationToken cancellationToken)
    {
        var removed = await RemoveRegistrationAsync(memberId, deviceLibraryIdentifier, _ => true, cancellationToken);
        await storage.Devices.DeleteEntityAsync(deviceLibraryIdentifier, serialNumber, ETag.All, cancellationToken);
        return removed;
    }

    /// <summary>
    /// For when APNs reports <paramref name="pushToken"/> gone (410, with <paramref name="invalidSince"/>, its timestamp;
    /// or a bad token): removes the registration only as <see cref="GoneTokenRule"/> says. The device may have registered
    /// again while the push was in flight or after APNs found the token gone; the answer is about the token as it was,
    /// and removing the registration would leave the pass on that phone never updated again.
    /// </summary>
    public async Task<bool> RemoveGoneTokenAsync(
        string memberId, string deviceLibraryIdentifier, string serialNumber, string pushToken, DateTimeOffset? invalidSince, CancellationToken cancellationToken)
    {
        // The index row's ETag from before the removal: a token refresh rewrites the row after its own commit, so a
        // refresh that lands around this removal makes the delete below fail and the device keeps listing the pass.
        var index = await storage.Devices.GetEntityIfExistsAsync<DevicePassEntity>(deviceLibraryIdentifier, serialNumber, cancellationToken: cancellationToken);
        var removed = await RemoveRegistrationAsync(memberId, deviceLibraryIdentifier, d => GoneTokenRule.Removes(d, pushToken, invalidSince), cancellationToken);
        if (removed && index.HasValue)
        {
            // Only then: a registration with a new token keeps its index row (the device still lists the pass), and one
            // already gone had it deleted by whoever removed it. Deleted already, or written again by a refresh or a new
            // registration: theirs stands.
            await storage.Devices.DeleteIfUnchangedAsync(deviceLibraryIdentifier, serialNumber, index.Value!.ETag, cancellationToken);
        }

        return removed;
    }

    private async Task PutIndexRowAsync(string deviceLibraryIdentifier, string serialNumber, string memberId, CancellationToken cancellationToken) =>
        await storage.Devices.UpsertEntityAsync(
            new DevicePassEntity { PartitionKey = deviceLibraryIdentifier, RowKey = serialNumber, MemberId = memberId },
            TableUpdateMode.Replace,
            cancellationToken);

    /// <summary>
    /// Deletes the <c>reg|</c> row (the push target, before the index row: see the class comment) if the registration as
    /// the member row lists it passes <paramref name="removes"/>. Under the member row's ETag (<see cref="CommitAsync"/>), so
    /// a registration refreshed meanwhile makes it read again and judge the refreshed one.
    /// </summary>
    private async Task<bool> RemoveRegistrationAsync(string memberId, string deviceLibraryIdentifier, Func<DeviceRegistration, bool> removes, CancellationToken cancellationToken)
    {
        var removed = false;
        await CommitAsync(
            memberId,
            devices =>
            {
                removed = devices.RemoveAll(d => d.DeviceLibraryIdentifier == deviceLibraryIdentifier && removes(d)) > 0;
                return removed ? new(TableTransactionActionType.Delete, new TableEntity(memberId, TableRows.Members.Registration(deviceLibraryIdentifier)), ETag.All) : null;
            },
            cancellationToken);
        return removed;
    }

    private static DeviceRegistration Of(DeviceRegistrationEntity row) =>
        new(row.RowKey[RowKeyPrefix.Length..], row.PushToken, row.SerialNumber, row.RegisteredAt, row.LastRegisteredAt);

    private sealed class PreloadedScope(IReadOnlyDictionary<string, IReadOnlyList<DeviceRegistration>>? outer) : IDisposable
    {
        public void Dispose() => Preloaded.Value = outer;
    }
}
