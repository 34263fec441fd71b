using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using WalletPasses.Http;

namespace WalletPasses.Staff;

/// <summary>
/// Staff requests are limited per staff key (the authenticated key name), so one lost or leaked device key
/// cannot flood the service or enumerate passes; other keys are unaffected. 429 problem details with Retry-After.
/// </summary>
public static class StaffRateLimiting
{
    public const string Policy = "staff-key";

    public static IServiceCollection AddStaffRateLimiting(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(Policy, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<StaffOptions>>().Value;

                // Runs after authorization, so only authenticated staff reach it and the name is the key's.
                return RateLimitPartition.GetFixedWindowLimiter(
                    context.User.Identity?.Name ?? "",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = options.RateLimitPermits, Window = options.RateLimitWindow, QueueLimit = 0 });
            });
            limiter.OnRejected = async (rejection, cancellationToken) =>
            {
                var response = rejection.HttpContext.Response;
                if (rejection.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    RetryAfter.Set(response, retryAfter);
                }

                await TypedResults.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many requests",
                    detail: "This staff key has made too many requests; retry after the time in Retry-After.").ExecuteAsync(rejection.HttpContext);
            };
        });
}
