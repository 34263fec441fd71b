using System.Security.Cryptography.X509Certificates;
using WalletPasses.Apple.Apns;
using WalletPasses.Members;
using WalletPasses.Templates;

namespace WalletPasses.Apple;

/// <summary>
/// Tells every device holding a member's pass that it changed: one APNs push per registered push token
/// (the device then asks which passes changed and fetches them). Tokens APNs reports gone lose their
/// registrations; any other failure leaves the update for the device's next check.
/// </summary>
public sealed partial class ApplePushNotifier(
    DeviceRegistrations registrations,
    IApnsClient apns,
    ITemplateSource templates,
    ILogger<ApplePushNotifier> logger) : IPassChangeNotifier
{
    public async Task PassChangedAsync(Member member, CancellationToken cancellationToken)
    {
        var devices = (await registrations.ForMemberAsync(member.MemberId, cancellationToken))
            .Where(r => r.SerialNumber == member.Pass.SerialNumber)
            .ToArray();
        if (devices.Length == 0)
        {
            return;
        }

        var topic = (await templates.GetCurrentAsync(cancellationToken)).Template.PassTypeIdentifier;
        var outcomes = await apns.PushManyAsync(devices.Select(d => d.PushToken).Distinct(StringComparer.Ordinal), topic, cancellationToken);
        foreach (var outcome in outcomes)
        {
            if (outcome.Result is ApnsPushResult.DeviceGone gone)
            {
                foreach (var device in devices.Where(d => d.PushToken == outcome.PushToken))
                {
                    LogDeviceGone(logger, member.Pass.SerialNumber, gone.Reason);
                    await registrations.RemoveAsync(member.MemberId, device.DeviceLibraryIdentifier, device.SerialNumber, cancellationToken);
                }
            }
        }
    }

    // Never the device library identifier: it is the only secret of the "which passes changed" call.
    [LoggerMessage(LogLevel.Information, "APNs says a device of pass {SerialNumber} is gone ({Reason}); its registration is removed")]
    private static partial void LogDeviceGone(ILogger logger, string serialNumber, string reason);
}

/// <summary>APNs authenticates with the same Pass Type ID certificate that signs the passes.</summary>
public sealed class PassCertificateApnsSource(PassCertificates certificates) : IApnsClientCertificateSource
{
    public X509Certificate2 GetCertificate() => certificates.PassCertificate;
}
