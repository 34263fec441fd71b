using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WalletPasses.Http;

namespace WalletPasses.Apple;

/// <summary>
/// The PassKit web service's rate limits, kept in this instance's memory (a restart only forgets counts):
/// failed authentications per client address, checked before a token is, so a client's guessing stops at the limit
/// even with the right token; failed authentications per serial number, which answer a wrong token 429 but never
/// keep out the right one (a serial number is no secret: whoever has seen the pass could otherwise keep its own
/// devices from their updates, and its 256-bit token is beyond guessing); registrations per pass; device log posts
/// per client address; unknown devices asked about per client address; "which passes changed" calls per device.
/// </summary>
public sealed class PassKitLimits : IDisposable
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly FailureWindows<IPAddress> _failuresByClient;
    private readonly FailureWindows<string> _failuresByPass;
    private readonly FailureWindows<IPAddress> _unknownDevicesByClient;
    private readonly PartitionedRateLimiter<string> _registrationsByPass;
    private readonly PartitionedRateLimiter<string> _logsByClient;
    private readonly PartitionedRateLimiter<string> _listsByDevice;

    public PassKitLimits(IOptions<PassKitOptions> options)
    {
        var limits = options.Value;
        _failuresByClient = new(limits.FailedAuthenticationsPerClientPerMinute, Minute);
        _failuresByPass = new(limits.FailedAuthenticationsPerPassPerMinute, Minute);
        _unknownDevicesByClient = new(limits.UnknownDevicesPerClientPerMinute, Minute);
        _registrationsByPass = FixedWindow(limits.RegistrationsPerPassPerHour, TimeSpan.FromHours(1));
        _logsByClient = FixedWindow(limits.LogRequestsPerClientPerMinute, Minute);
        _listsByDevice = FixedWindow(limits.ListCallsPerDevicePerMinute, Minute);
    }

    /// <summary>
    /// 429 when this client has used up its failed authentications; nothing is counted. Runs before every device
    /// call: for a client that never failed it only looks up a dictionary.
    /// </summary>
    public ProblemHttpResult? AuthenticationBlocked(HttpContext context) =>
        _failuresByClient.RetryAfter(ClientOf(context)) is { } clientWait
            ? TooManyRequests(context, clientWait, "Too many failed authentications from this address.")
            : null;

    /// <summary>Counts a failed authentication; 429 instead of the caller's 401 once the pass has had its share of them.</summary>
    public ProblemHttpResult? AuthenticationFailed(HttpContext context, string serialNumber)
    {
        // Asked before counting, so the limit's last allowed failure still gets the 401.
        var passWait = _failuresByPass.RetryAfter(serialNumber);
        _failuresByClient.Failed(ClientOf(context));
        _failuresByPass.Failed(serialNumber);
        return passWait is { } wait ? TooManyRequests(context, wait, "Too many failed authentications for this pass.") : null;
    }

    /// <summary>
    /// 429 when this client has asked about too many unknown devices; nothing is counted. Checked before the device's
    /// registrations are read, so a blocked client costs no storage request; a client that never asked about an
    /// unknown device (the phones behind one carrier NAT address) only costs a dictionary lookup.
    /// </summary>
    public ProblemHttpResult? UnknownDevicesBlocked(HttpContext context) =>
        _unknownDevicesByClient.RetryAfter(ClientOf(context)) is { } wait
            ? TooManyRequests(context, wait, "Too many unknown devices from this address.")
            : null;

    /// <summary>Counts a "which passes changed" call for a device with no registration, a malformed identifier or a pass type not issued here.</summary>
    public void UnknownDevice(HttpContext context) => _unknownDevicesByClient.Failed(ClientOf(context));

    public ProblemHttpResult? RegistrationBlocked(HttpContext context, string serialNumber)
    {
        using var lease = _registrationsByPass.AttemptAcquire(serialNumber);
        return lease.IsAcquired ? null : TooManyRequests(context, lease, "Too many device registrations for this pass.");
    }

    /// <summary>429 once this device has asked <see cref="PassKitOptions.ListCallsPerDevicePerMinute"/> times this minute.</summary>
    public ProblemHttpResult? ListBlocked(HttpContext context, string deviceLibraryIdentifier)
    {
        using var lease = _listsByDevice.AttemptAcquire(deviceLibraryIdentifier);
        return lease.IsAcquired ? null : TooManyRequests(context, lease, "Too many update checks from this device.");
    }

    public ProblemHttpResult? LogBlocked(HttpContext context)
    {
        using var lease = _logsByClient.AttemptAcquire(ClientKeyOf(context));
        return lease.IsAcquired ? null : TooManyRequests(context, lease, "Too many device log reports from this address.");
    }

    public void Dispose()
    {
        _registrationsByPass.Dispose();
        _logsByClient.Dispose();
        _listsByDevice.Dispose();
    }

    private static IPAddress ClientOf(HttpContext context) => ClientAddress.Of(context);

    private static string ClientKeyOf(HttpContext context) => ClientOf(context).ToString();

    private static PartitionedRateLimiter<string> FixedWindow(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(
            key, _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 }));

    private static ProblemHttpResult TooManyRequests(HttpContext context, RateLimitLease lease, string detail) =>
        TooManyRequests(context, lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : Minute, detail);

    private static ProblemHttpResult TooManyRequests(HttpContext context, TimeSpan retryAfter, string detail)
    {
        RetryAfter.Set(context.Response, retryAfter);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests", detail: detail + " Retry after the time in Retry-After.");
    }
}
