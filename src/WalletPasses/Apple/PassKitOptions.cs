namespace WalletPasses.Apple;

/// <summary>
/// Limits of the PassKit web service, section <c>WalletPasses:Apple:PassKit</c>: what someone holding one pass
/// (its serial number and authenticationToken) or no pass at all can make the service do.
/// </summary>
public sealed class PassKitOptions
{
    public const string Section = "WalletPasses:Apple:PassKit";

    /// <summary>
    /// Devices registered for updates of one pass: a phone, a watch or two and a replacement phone. A new
    /// device beyond it is registered and the least recently registered ones are dropped (customers change phones).
    /// </summary>
    public int MaxDevicesPerPass { get; set; } = 5;

    /// <summary>Registration calls (new or repeated) per pass in an hour; more are answered 429.</summary>
    public int RegistrationsPerPassPerHour { get; set; } = 20;

    /// <summary>Failed authenticationToken checks per client address in a minute before it is answered 429.</summary>
    public int FailedAuthenticationsPerClientPerMinute { get; set; } = 30;

    /// <summary>Failed authenticationToken checks per serial number in a minute before it is answered 429.</summary>
    public int FailedAuthenticationsPerPassPerMinute { get; set; } = 10;

    /// <summary>
    /// Device library identifiers with no registration here (or malformed, or of a pass type not issued here) that one
    /// client address may send to the anonymous "which passes changed" call in a minute before every such call from it
    /// is answered 429. Generous: many phones share an IPv4 address behind carrier-grade NAT, and a registered device
    /// never counts.
    /// </summary>
    public int UnknownDevicesPerClientPerMinute { get; set; } = 300;

    /// <summary>
    /// "Which passes changed" calls per device library identifier in a minute, registered or not, before that device is
    /// answered 429. A phone asks once after each push; whoever holds one pass can register a few devices of their own
    /// and would otherwise make each call cost a query and a read per registered pass without end.
    /// </summary>
    public int ListCallsPerDevicePerMinute { get; set; } = 60;

    /// <summary>Calls of the anonymous device log endpoint per client address in a minute.</summary>
    public int LogRequestsPerClientPerMinute { get; set; } = 10;
}
