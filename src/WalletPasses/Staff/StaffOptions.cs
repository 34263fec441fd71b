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
