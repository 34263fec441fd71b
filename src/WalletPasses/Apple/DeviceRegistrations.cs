using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
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
/// </summary>
public sealed class DeviceRegistrations(StorageClients storage, IOptions<PassKitOptions> options, TimeProvider time)
{
    public const string RowKeyPrefix = TableRows.Members.RegistrationPrefix;

    // RowKey in ["reg|", "reg}") is exactly a partition's registration rows.
    private static readonly string RowKeyEnd = TableRows.RangeEnd(RowKeyPrefix);

    /// <summary>Registers the device for the pass (idempotent); a known registration only has its push token refreshed.</summary>
    public async Task<RegistrationOutcome> RegisterAsync(
        string memberId, string serialNumber, string deviceLibraryIdentifier, string pushToken, CancellationToken cancellationToken)
    {
        var rowKey = TableRows.Members.Registration(deviceLibraryIdentifier);
        var existing = await storage.Members.GetIfExistsAsync<DeviceRegistrationEntity>(memberId, rowKey, cancellationToken);
        if (existing is not null && existing.SerialNumber == serialNumber)
        {
            if (existing.PushToken != pushToken)
            {
                existing.PushToken = pushToken;
                existing.RegisteredAt = time.GetUtcNow(); // a device that renews its token is among the most recent
                await storage.Members.UpsertEntityAsync(existing, TableUpdateMode.Replace, cancellationToken);
            }

            return RegistrationOutcome.AlreadyRegistered;
        }

        await storage.Devices.UpsertEntityAsync(
            new DevicePassEntity { PartitionKey = deviceLibraryIdentifier, RowKey = serialNumber, MemberId = memberId },
            TableUpdateMode.Replace,
            cancellationToken);

        var registration = new DeviceRegistrationEntity
        {
            PartitionKey = memberId,
            RowKey = rowKey,
            PushToken = pushToken,
            SerialNumber = serialNumber,
            RegisteredAt = time.GetUtcNow(),
        };
        try
        {
            // Insert (or replace the row of an earlier serial number by its ETag) so that of concurrent
            // retries of the same registration exactly one reports it as new.
            if (existing is null)
            {
                await storage.Members.AddEntityAsync(registration, cancellationToken);
            }
            else
            {
                await storage.Members.UpdateEntityAsync(registration, existing.ETag, TableUpdateMode.Replace, cancellationToken);
            }

            await KeepMostRecentAsync(memberId, serialNumber, deviceLibraryIdentifier, cancellationToken);
            return RegistrationOutcome.Created;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            await storage.Members.UpsertEntityAsync(registration, TableUpdateMode.Replace, cancellationToken);
            return RegistrationOutcome.AlreadyRegistered;
        }
    }

    // Registrations a bulk job read for many members at once (ForMembersAsync), for the async flow that delivers to them.
    private static readonly AsyncLocal<IReadOnlyDictionary<string, IReadOnlyList<DeviceRegistration>>?> Preloaded = new();

    /// <summary>
    /// Every device registered for the member's pass: one partition range query (none inside <see cref="UsePreloaded"/>
    /// for a member it holds).
    /// </summary>
    public async Task<IReadOnlyList<DeviceRegistration>> ForMemberAsync(string memberId, CancellationToken cancellationToken)
    {
        if (Preloaded.Value is { } preloaded && preloaded.TryGetValue(memberId, out var known))
        {
            return known;
        }

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
    /// was registered. Also for when APNs reports the push token gone.
    /// </summary>
    public async Task<bool> RemoveAsync(string memberId, string deviceLibraryIdentifier, string serialNumber, CancellationToken cancellationToken)
    {
        // Push target first, index row second (see the class comment).
        var removed = await storage.Members.DeleteEntityAsync(memberId, TableRows.Members.Registration(deviceLibraryIdentifier), ETag.All, cancellationToken);
        await storage.Devices.DeleteEntityAsync(deviceLibraryIdentifier, serialNumber, ETag.All, cancellationToken);
        return removed.Status != StatusCodes.Status404NotFound;
    }

    private static DeviceRegistration Of(DeviceRegistrationEntity row) =>
        new(row.RowKey[RowKeyPrefix.Length..], row.PushToken, row.SerialNumber, row.RegisteredAt);

    private sealed class PreloadedScope(IReadOnlyDictionary<string, IReadOnlyList<DeviceRegistration>>? outer) : IDisposable
    {
        public void Dispose() => Preloaded.Value = outer;
    }
}
