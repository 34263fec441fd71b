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
/// for every device, or reported the device gone (its registration is then removed); a device whose push failed
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
                var push = DevicePush.From(outcome.Result, now);
                if (outcome.Result is ApnsPushResult.DeviceGone gone)
                {
                    LogDeviceGone(logger, member.Pass.SerialNumber, gone.Reason);
                    if (!await registrations.RemoveGoneTokenAsync(member.MemberId, device.DeviceLibraryIdentifier, device.SerialNumber, outcome.PushToken, cancellationToken))
                    {
                        // The device registered a new token while the old one was pushed: the version has yet to reach
                        // it, so this push counts as failed and the retry pushes the new token (or finds the device gone).
                        push = push with { State = DevicePushStates.Failed, Reason = "token replaced while pushed (" + gone.Reason + ")" };
                        error = "APNs: a device's push token was replaced while it was pushed";
                    }
                }
                else if (outcome.Result is ApnsPushResult.Failed or ApnsPushResult.CertificateRejected)
                {
                    error = "APNs: " + push.Reason;
                }

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
            TracePush(member, device.DeviceLibraryIdentifier, pushes.Record(device.DeviceLibraryIdentifier, DevicePush.From(result, now), repush: true));
        }

        return pushes.ToRecord();
    }

    private void TracePush(Member member, string device, DevicePush push) =>
        trace.Record(member.MemberId, DeliveryTraceKinds.Push, $"{member.Pass.Version}|{device}|{push.Pushes}", device, member.Pass.Version, push.Status, push.State + (push.Reason is null ? "" : ": " + push.Reason), push.ApnsId);

    // Never the device library identifier: it is the only secret of the "which passes changed" call.
    [LoggerMessage(LogLevel.Information, "APNs says a device of pass {SerialNumber} is gone ({Reason}); its registration is removed")]
    private static partial void LogDeviceGone(ILogger logger, string serialNumber, string reason);

    private static string MetricName(ApnsPushResult result) => result switch
    {
        ApnsPushResult.Delivered => "delivered",
        ApnsPushResult.DeviceGone => "device_gone",
        ApnsPushResult.CertificateRejected => "certificate_rejected",
        _ => "failed",
    };
}
