using WalletPasses.Apple.Apns;

namespace WalletPasses.Delivery;

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
