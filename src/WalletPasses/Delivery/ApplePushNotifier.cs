using Microsoft.Extensions.Options;
using WalletPasses.Apple;
using WalletPasses.Apple.Apns;
using WalletPasses.Members;
using WalletPasses.Telemetry;
using WalletPasses.Templates;

namespace WalletPasses.Delivery;

/// <summary>
/// Tells every device holding a member's pass that it changed: one APNs push per registered push token (the
/// device then asks which passes changed and fetches them). The version is delivered once APNs accepted the push
/// for every device, or reported the device gone (its registration is then removed, unless the device registered again
/// since: then its push failed); a device whose push failed
/// is pushed again on the next attempt, and a device already pushed for this version never is.
/// </summary>
public sealed partial class ApplePushNotifier(
    DeviceRegistrations registrations,
    IApnsClient apns,
    ProgramTemplates templates,
    IOptions<DeliveryOptions> options,
    DeliveryTrace trace,
    TimeProvider time,
    WalletPassesTelemetry telemetry,
    ILogger<ApplePushNotifier> logger) : IPassChangeNotifier
{
    public const string PlatformName = "apple";

    public string Platform => PlatformName;

    public TimeSpan RetryInterval => options.Value.RetryInterval;

    public TimeSpan MaxRetryDelay => options.Value.MaxRetryDelay;

    public async Task<PlatformDelivery> PassChangedAsync(Member member, string? record, CancellationToken cancellationToken)
    {
        var pushes = DevicePushes.Parse(record);
        var devices = (await registrations.ForMemberAsync(member.MemberId, cancellationToken))
            .Where(r => r.SerialNumber == member.Pass.SerialNumber && !pushes.Delivered(r.DeviceLibraryIdentifier))
            .ToArray();
        if (devices.Length == 0)
        {
            return new PlatformDelivery(true, pushes.ToRecord());
        }

        var topic = (await templates.ForMember(member.MemberId).GetCurrentAsync(cancellationToken)).Template.PassTypeIdentifier; // the APNs topic of the member's program
        using var span = telemetry.StartPush(devices.Length);
        var outcomes = await apns.PushManyAsync(devices.Select(d => d.PushToken), topic, cancellationToken);
        var now = time.GetUtcNow();
        string? error = null;
        foreach (var outcome in outcomes)
        {
            telemetry.Pushed(MetricName(outcome.Result));
            foreach (var device in devices.Where(d => d.PushToken == outcome.PushToken))
            {
                var (push, failure) = await SettleAsync(member, device, outcome.Result, now, cancellationToken);
                error = failure ?? error;
                TracePush(member, device.DeviceLibraryIdentifier, pushes.Record(device.DeviceLibraryIdentifier, push));
            }
        }

        trace.PushedForCheck(member.MemberId);
        return new PlatformDelivery(error is null, pushes.ToRecord(), error);
    }

    /// <summary>Pushes devices once more that did not ask for the version in time (the bounded re-push); returns the updated record.</summary>
    public async Task<string> RepushAsync(Member member, string record, IReadOnlyCollection<string> deviceLibraryIdentifiers, CancellationToken cancellationToken)
    {
        var pushes = DevicePushes.Parse(record);
        var devices = (await registrations.ForMemberAsync(member.MemberId, cancellationToken))
            .Where(r => r.SerialNumber == member.Pass.SerialNumber && deviceLibraryIdentifiers.Contains(r.DeviceLibraryIdentifier))
            .ToArray();
        var topic = (await templates.ForMember(member.MemberId).GetCurrentAsync(cancellationToken)).Template.PassTypeIdentifier; // the APNs topic of the member's program
        var now = time.GetUtcNow();
        using var span = telemetry.StartPush(devices.Length);
        foreach (var device in devices)
        {
            var result = await apns.PushAsync(device.PushToken, topic, cancellationToken);
            telemetry.Pushed(MetricName(result));
            var (push, _) = await SettleAsync(member, device, result, now, cancellationToken); // no retry: the re-push is best effort
            TracePush(member, device.DeviceLibraryIdentifier, pushes.Record(device.DeviceLibraryIdentifier, push, repush: true));
        }

        return pushes.ToRecord();
    }

    /// <summary>
    /// The device's push as APNs answered it, its registration removed when APNs says the device is gone; with the error
    /// that makes the version due again when the push has yet to reach the device.
    /// </summary>
    private async Task<(DevicePush Push, string? Error)> SettleAsync(Member member, DeviceRegistration device, ApnsPushResult result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var push = DevicePush.From(result, now);
        switch (result)
        {
            case ApnsPushResult.DeviceGone gone when await registrations.RemoveGoneTokenAsync(member.MemberId, device.DeviceLibraryIdentifier, device.SerialNumber, device.PushToken, gone.InvalidSince, cancellationToken):
                LogDeviceGone(logger, member.Pass.SerialNumber, gone.Reason);
                return (push, null);
            case ApnsPushResult.DeviceGone gone:
                // The device registered a new token while the old one was pushed, or registered again after APNs found the
                // token gone: the version has yet to reach it, so the push counts as failed and the retry pushes it again.
                LogGoneDeviceKept(logger, member.Pass.SerialNumber, gone.Reason);
                return (push with { State = DevicePushStates.Failed, Reason = "registered again after the token was found gone (" + gone.Reason + ")" },
                    "APNs: a device registered again after its push token was found gone");
            case ApnsPushResult.Failed or ApnsPushResult.CertificateRejected:
                return (push, "APNs: " + push.Reason);
            default:
                return (push, null);
        }
    }

    private void TracePush(Member member, string device, DevicePush push) =>
        trace.Record(member.MemberId, DeliveryTraceKinds.Push, $"{member.Pass.Version}|{device}|{push.Pushes}", device, member.Pass.Version, push.Status, push.State + (push.Reason is null ? "" : ": " + push.Reason), push.ApnsId);

    // Never the device library identifier: it is the only secret of the "which passes changed" call.
    [LoggerMessage(LogLevel.Information, "APNs says a device of pass {SerialNumber} is gone ({Reason}); its registration is removed")]
    private static partial void LogDeviceGone(ILogger logger, string serialNumber, string reason);

    [LoggerMessage(LogLevel.Information, "APNs says a device of pass {SerialNumber} is gone ({Reason}), but it registered again since; its registration stays")]
    private static partial void LogGoneDeviceKept(ILogger logger, string serialNumber, string reason);

    private static string MetricName(ApnsPushResult result) => result switch
    {
        ApnsPushResult.Delivered => "delivered",
        ApnsPushResult.DeviceGone => "device_gone",
        ApnsPushResult.CertificateRejected => "certificate_rejected",
        _ => "failed",
    };
}
