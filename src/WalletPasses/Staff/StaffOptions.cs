using Microsoft.Extensions.Options;

namespace WalletPasses.Staff;

/// <summary>Settings of the store-staff surface, section <c>WalletPasses:Staff</c>.</summary>
public sealed class StaffOptions
{
    public const string Section = "WalletPasses:Staff";

    /// <summary>Validation and redemption requests one staff key may make per <see cref="RateLimitWindow"/>.</summary>
    public int RateLimitPermits { get; set; } = 120;

    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Wrong staff keys one client address may present per <see cref="FailedKeyWindow"/> before it gets 429 for a while.</summary>
    public int FailedKeyLimit { get; set; } = 20;

    public TimeSpan FailedKeyWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often an instance re-reads runtime staff keys, so a revocation elsewhere takes effect within this time.</summary>
    public TimeSpan KeyRefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long an instance that cannot re-read staff keys keeps using the ones it read last; past it, keys
    /// created through the API are refused (503) until storage answers, so a revoked key cannot work for long.
    /// </summary>
    public TimeSpan MaxKeyStaleness { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The time zone whose calendar day bounds "once per day" perks (IANA id, for example Europe/Berlin).</summary>
    public string PerkDayTimeZone { get; set; } = "UTC";

    /// <summary>Optional: where points redemption requests are also POSTed, signed with <see cref="PointsWebhookSecret"/>.</summary>
    public string? PointsWebhookUrl { get; set; }

    /// <summary>HMAC secret of the points webhook's <c>X-WalletPasses-Signature</c> (at least 32 characters).</summary>
    public string? PointsWebhookSecret { get; set; }

    /// <summary>Retries of a failed webhook delivery (exponential back-off from <see cref="PointsWebhookRetryDelay"/>).</summary>
    public int PointsWebhookRetries { get; set; } = 6;

    public TimeSpan PointsWebhookRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long requested points stay held when the backend never answers the request; then they are available again.</summary>
    public TimeSpan PointsHoldLifetime { get; set; } = TimeSpan.FromHours(1);

    // A method, not a property: the configuration binding generator would try to bind a property (and cannot).
    public TimeZoneInfo FindPerkDayZone() => TimeZoneInfo.FindSystemTimeZoneById(PerkDayTimeZone);
}

public sealed class StaffOptionsValidator(IHostEnvironment environment) : IValidateOptions<StaffOptions>
{
    public const int MinimumWebhookSecretLength = 32;

    public ValidateOptionsResult Validate(string? name, StaffOptions options)
    {
        var failures = new List<string>();
        if (options.RateLimitPermits < 1)
        {
            failures.Add("WalletPasses:Staff:RateLimitPermits must be at least 1.");
        }

        if (options.RateLimitWindow <= TimeSpan.Zero)
        {
            failures.Add("WalletPasses:Staff:RateLimitWindow must be positive, for example 00:01:00.");
        }

        if (options.FailedKeyLimit < 1 || options.FailedKeyWindow <= TimeSpan.Zero)
        {
            failures.Add("WalletPasses:Staff:FailedKeyLimit must be at least 1 and FailedKeyWindow positive, for example 20 per 00:05:00.");
        }

        if (options.KeyRefreshInterval <= TimeSpan.Zero || options.KeyRefreshInterval > TimeSpan.FromMinutes(5))
        {
            failures.Add("WalletPasses:Staff:KeyRefreshInterval must be positive and at most 5 minutes: it bounds how long a revoked key keeps working.");
        }

        if (options.MaxKeyStaleness < options.KeyRefreshInterval || options.MaxKeyStaleness > TimeSpan.FromHours(1))
        {
            failures.Add("WalletPasses:Staff:MaxKeyStaleness must be at least KeyRefreshInterval and at most 1 hour: it bounds how long a revoked key keeps working while storage cannot be read.");
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(options.PerkDayTimeZone, out _))
        {
            failures.Add($"WalletPasses:Staff:PerkDayTimeZone '{options.PerkDayTimeZone}' is not a known time zone id (for example UTC or Europe/Berlin).");
        }

        if (!string.IsNullOrWhiteSpace(options.PointsWebhookUrl))
        {
            if (!Uri.TryCreate(options.PointsWebhookUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            {
                failures.Add("WalletPasses:Staff:PointsWebhookUrl must be an absolute http(s) URL.");
            }
            else if (url.Scheme == Uri.UriSchemeHttp && !url.IsLoopback && !environment.IsDevelopment())
            {
                failures.Add("WalletPasses:Staff:PointsWebhookUrl must use https outside Development (points requests carry member ids).");
            }

            // The secret's value never appears in a message, only whether it is usable.
            if ((options.PointsWebhookSecret?.Length ?? 0) < MinimumWebhookSecretLength)
            {
                failures.Add($"WalletPasses:Staff:PointsWebhookSecret must be set to a random value of at least {MinimumWebhookSecretLength} characters when PointsWebhookUrl is set.");
            }
        }

        if (options.PointsWebhookRetries is < 1 or > 20)
        {
            failures.Add("WalletPasses:Staff:PointsWebhookRetries must be between 1 and 20.");
        }

        if (options.PointsWebhookRetryDelay <= TimeSpan.Zero)
        {
            failures.Add("WalletPasses:Staff:PointsWebhookRetryDelay must be positive.");
        }

        if (options.PointsHoldLifetime < TimeSpan.FromMinutes(1) || options.PointsHoldLifetime > TimeSpan.FromDays(7))
        {
            failures.Add("WalletPasses:Staff:PointsHoldLifetime must be between 00:01:00 and 7.00:00:00: it is how long requested points stay unavailable while the loyalty system has not answered.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
