using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace WalletPasses.Apple;

/// <summary>
/// The PassKit web service's rate limits, kept in this instance's memory (a restart only forgets counts):
/// failed authentications per client address and per serial number, checked before a token is, so guessing
/// stops at the limit even with the right token; registrations per pass; device log posts per client address.
/// </summary>
public sealed class PassKitLimits : IDisposable
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly PartitionedRateLimiter<string> _failuresByClient;
    private readonly PartitionedRateLimiter<string> _failuresByPass;
    private readonly PartitionedRateLimiter<string> _registrationsByPass;
    private readonly PartitionedRateLimiter<string> _logsByClient;

    public PassKitLimits(IOptions<PassKitOptions> options)
    {
        var limits = options.Value;
        _failuresByClient = FixedWindow(limits.FailedAuthenticationsPerClientPerMinute, Minute);
        _failuresByPass = FixedWindow(limits.FailedAuthenticationsPerPassPerMinute, Minute);
        _registrationsByPass = FixedWindow(limits.RegistrationsPerPassPerHour, TimeSpan.FromHours(1));
        _logsByClient = FixedWindow(limits.LogRequestsPerClientPerMinute, Minute);
    }

    /// <summary>429 when this client or this pass has used up its failed authentications; nothing is counted.</summary>
    public ProblemHttpResult? AuthenticationBlocked(HttpContext context, string serialNumber)
    {
        using var byClient = _failuresByClient.AttemptAcquire(ClientOf(context), 0);
        if (!byClient.IsAcquired)
        {
            // Checked first: a blocked client makes no per-pass counters, however many serial numbers it tries.
            return TooManyRequests(context, byClient, "Too many failed authentications from this address.");
        }

        using var byPass = _failuresByPass.AttemptAcquire(serialNumber, 0);
        return byPass.IsAcquired ? null : TooManyRequests(context, byPass, "Too many failed authentications for this pass.");
    }

    public void AuthenticationFailed(HttpContext context, string serialNumber)
    {
        _failuresByClient.AttemptAcquire(ClientOf(context)).Dispose();
        _failuresByPass.AttemptAcquire(serialNumber).Dispose();
    }

    public ProblemHttpResult? RegistrationBlocked(HttpContext context, string serialNumber)
    {
        using var lease = _registrationsByPass.AttemptAcquire(serialNumber);
        return lease.IsAcquired ? null : TooManyRequests(context, lease, "Too many device registrations for this pass.");
    }

    public ProblemHttpResult? LogBlocked(HttpContext context)
    {
        using var lease = _logsByClient.AttemptAcquire(ClientOf(context));
        return lease.IsAcquired ? null : TooManyRequests(context, lease, "Too many device log reports from this address.");
    }

    public void Dispose()
    {
        _failuresByClient.Dispose();
        _failuresByPass.Dispose();
        _registrationsByPass.Dispose();
        _logsByClient.Dispose();
    }

    private static string ClientOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "";

    private static PartitionedRateLimiter<string> FixedWindow(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(
            key, _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 }));

    private static ProblemHttpResult TooManyRequests(HttpContext context, RateLimitLease lease, string detail)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : Minute;
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests", detail: detail + " Retry after the time in Retry-After.");
    }
}
