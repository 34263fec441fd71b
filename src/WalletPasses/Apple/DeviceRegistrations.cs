using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using WalletPasses.Storage;

namespace WalletPasses.Apple;

/// <summary>A device that asked to be told (by push) when a member's pass changes.</summary>
public sealed record DeviceRegistration(string DeviceLibraryIdentifier, string PushToken, string SerialNumber, DateTimeOffset RegisteredAt);

/// <summary>A pass registered on a device, with the member it belongs to.</summary>
public sealed record RegisteredPass(string SerialNumber, string MemberId);

public enum RegistrationOutcome
{
    Created,
    AlreadyRegistered,
}

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

    /// <summary>Every device registered for the member's pass: one partition range query.</summary>
    public async Task<IReadOnlyList<DeviceRegistration>> ForMemberAsync(string memberId, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {memberId} and RowKey ge {RowKeyPrefix} and RowKey lt {RowKeyEnd}");
        var registrations = new List<DeviceRegistration>();
        await foreach (var row in storage.Members.QueryAsync<DeviceRegistrationEntity>(filter, cancellationToken: cancellationToken))
        {
            registrations.Add(new DeviceRegistration(row.RowKey[RowKeyPrefix.Length..], row.PushToken, row.SerialNumber, row.RegisteredAt));
        }

        return registrations;
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
}

/// <summary>Table <c>members</c>: PartitionKey = member id, RowKey = <c>reg|{deviceLibraryIdentifier}</c>.</summary>
public sealed class DeviceRegistrationEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string PushToken { get; set; } = "";

    public string SerialNumber { get; set; } = "";

    public DateTimeOffset RegisteredAt { get; set; }
}

/// <summary>Table <c>devices</c>: PartitionKey = deviceLibraryIdentifier, RowKey = serial number.</summary>
public sealed class DevicePassEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string MemberId { get; set; } = "";
}
