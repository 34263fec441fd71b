using System.Text.Json;

namespace WalletPasses.Delivery;

/// <summary>Apple's record of a version's delivery in the announcement: device library identifier -> its push.</summary>
public sealed class DevicePushes
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Dictionary<string, DevicePush> _devices;

    private DevicePushes(Dictionary<string, DevicePush> devices) => _devices = devices;

    public IReadOnlyDictionary<string, DevicePush> Devices => _devices;

    public static DevicePushes Parse(string? record) =>
        new(string.IsNullOrEmpty(record) ? new(StringComparer.Ordinal) : JsonSerializer.Deserialize<Dictionary<string, DevicePush>>(record, Json) ?? new(StringComparer.Ordinal));

    /// <summary>APNs accepted a push of this version for the device, or the device is gone: never push it again for this version.</summary>
    public bool Delivered(string deviceLibraryIdentifier) =>
        _devices.TryGetValue(deviceLibraryIdentifier, out var push) && push.State != DevicePushStates.Failed;

    /// <summary>Drops the device's push (it registered again and may hold an older copy); false when it had none.</summary>
    public bool Forget(string deviceLibraryIdentifier) => _devices.Remove(deviceLibraryIdentifier);

    public DevicePush? Of(string deviceLibraryIdentifier) => _devices.GetValueOrDefault(deviceLibraryIdentifier);

    public DevicePush Record(string deviceLibraryIdentifier, DevicePush push, bool repush = false) =>
        _devices[deviceLibraryIdentifier] = push with { Pushes = (Of(deviceLibraryIdentifier)?.Pushes ?? 0) + 1, Repushed = repush || (Of(deviceLibraryIdentifier)?.Repushed ?? false) };

    /// <summary>Sets the device's push as another record has it (a merge), counts and all.</summary>
    public void Put(string deviceLibraryIdentifier, DevicePush push) => _devices[deviceLibraryIdentifier] = push;

    public string ToRecord() => JsonSerializer.Serialize(_devices, Json);
}
