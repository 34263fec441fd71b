using System.Text.Json;
using WalletPasses.Apple.Apns;

namespace WalletPasses.Delivery;

public static class DevicePushStates
{
    /// <summary>APNs accepted the push.</summary>
    public const string Pushed = "pushed";

    /// <summary>APNs (or the network) failed; pushed again on the next attempt.</summary>
    public const string Failed = "push-failed";

    /// <summary>APNs says the token is no longer valid (410, bad token): the registration was removed.</summary>
    public const string Gone = "gone";
}

/// <summary>
/// One device's push for a pass version: when, what APNs said (status, apns-id), how often it was sent, and whether
/// it was the one bounded re-push of a device that did not ask for the version in time.
/// </summary>
public sealed record DevicePush(string State, DateTimeOffset At, int? Status, string? ApnsId, string? Reason, int Pushes = 1, bool Repushed = false)
{
    public static DevicePush From(ApnsPushResult result, DateTimeOffset at) => result switch
    {
        ApnsPushResult.Delivered delivered => new(DevicePushStates.Pushed, at, 200, delivered.ApnsId, null),
        ApnsPushResult.DeviceGone gone => new(DevicePushStates.Gone, at, null, null, gone.Reason),
        ApnsPushResult.CertificateRejected rejected => new(DevicePushStates.Failed, at, 403, null, rejected.Reason),
        ApnsPushResult.Failed failed => new(DevicePushStates.Failed, at, failed.StatusCode, null, failed.Reason),
        _ => new(DevicePushStates.Failed, at, null, null, result.ToString()),
    };
}

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

    public DevicePush? Of(string deviceLibraryIdentifier) => _devices.GetValueOrDefault(deviceLibraryIdentifier);

    public DevicePush Record(string deviceLibraryIdentifier, DevicePush push, bool repush = false) =>
        _devices[deviceLibraryIdentifier] = push with { Pushes = (Of(deviceLibraryIdentifier)?.Pushes ?? 0) + 1, Repushed = repush || (Of(deviceLibraryIdentifier)?.Repushed ?? false) };

    public string ToRecord() => JsonSerializer.Serialize(_devices, Json);
}
