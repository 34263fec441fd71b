using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using WalletPasses.Http;
using WalletPasses.Security;

namespace WalletPasses.Staff;

/// <summary>
/// Wrong staff keys per client address: at most <see cref="StaffOptions.FailedKeyLimit"/> per
/// <see cref="StaffOptions.FailedKeyWindow"/>, counted in memory per instance. Past it the address gets 429 with
/// Retry-After for every staff request until the window ends, right key or not. The per-key rate limit
/// (<see cref="StaffRateLimiting"/>) cannot do this: it runs only after a key was accepted.
/// </summary>
public sealed class StaffKeyFailureLimit : IAuthenticationFailureLimit, IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures;

    public StaffKeyFailureLimit(IOptions<StaffOptions> options)
    {
        var staff = options.Value;
        _failures = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(
            address,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = staff.FailedKeyLimit, Window = staff.FailedKeyWindow, QueueLimit = 0 }));
    }

    public string Role => ApiRoles.Staff;

    public TimeSpan? RetryAfter(HttpContext context)
    {
        // Asking for zero permits only looks: it fails, with the wait, once the window's failures are used up.
        using var lease = _failures.AttemptAcquire(Address(context), 0);
        return lease.IsAcquired ? null : lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
    }

    public void Failed(HttpContext context)
    {
        using var lease = _failures.AttemptAcquire(Address(context));
    }

    public void Dispose() => _failures.Dispose();

    private static string Address(HttpContext context) => ClientAddress.Of(context).ToString();
}
