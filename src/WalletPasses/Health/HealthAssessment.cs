using System.Globalization;
using WalletPasses.Delivery;
using WalletPasses.Google;

namespace WalletPasses.Health;

/// <summary>
/// The health rules, a pure function of the gathered facts and the time. Unhealthy (the app cannot serve, 503, so a
/// load balancer or Azure's health check routes around the instance): storage unreachable, no template, no valid
/// Apple certificate. Degraded (it serves, but an operator must act; 200, since restarting or removing the instance
/// would not help): the certificate in use expires within the warning window, a next certificate is unusable, another
/// program's pass type certificate expires within the window or is not valid, APNs
/// refuses the certificate or recently failed, Google refuses the service account or what the app sends or fails, pass updates have
/// waited for delivery longer than <see cref="BacklogWarningAge"/>, or a staff key from the settings is refused because a
/// key created through the API has its name.
/// </summary>
public static class HealthAssessment
{
    public const string Ok = "ok";
    public const string Degraded = "degraded";
    public const string Unhealthy = "unhealthy";

    /// <summary>
    /// A pending update older than this is a backlog: deliveries normally finish within seconds, and a failed one is
    /// retried after 30 s, doubling (DeliveryOptions), so 15 minutes means several retries failed.
    /// </summary>
    public static readonly TimeSpan BacklogWarningAge = TimeSpan.FromMinutes(15);

    /// <summary>
    /// A failure with no success since counts this long: failed updates are retried at least hourly (the longest
    /// retry delay of APNs and Google deliveries), so a platform still failing shows a newer failure by then.
    /// </summary>
    public static readonly TimeSpan RecentFailure = TimeSpan.FromHours(2);

    private const string RotationSection = "README, Certificate rotation";

    public static HealthVerdict Assess(
        StorageHealth storage, TemplateHealth template, string programId, AppleHealth apple, GoogleHealth google,
        AnnouncementBacklogHealth? backlog, int certificateExpiryWarningDays, DateTimeOffset now, IReadOnlyList<string>? refusedStaffKeys = null)
    {
        var unhealthy = new List<string>();
        var degraded = new List<string>();

        if (!storage.Reachable)
        {
            unhealthy.Add($"Storage cannot be reached ({storage.Problem}): check AzureWebJobsStorage, that the storage account is up, and that the app's identity has its data-plane roles.");
        }
        else if (!template.Loaded)
        {
            unhealthy.Add($"The program template is not loaded ({template.Problem}): upload a valid templates/{programId}/template.json to the templates container.");
        }

        var inUse = apple.Certificates.FirstOrDefault(c => c.InUse);
        if (inUse is not null && inUse.NotAfter <= now)
        {
            unhealthy.Add($"The Apple pass certificate expired on {Day(inUse.NotAfter)}: Wallet refuses passes signed with it and installed passes stop updating; install the renewed certificate ({RotationSection}).");
        }
        else if (inUse is not null && inUse.NotBefore > now)
        {
            unhealthy.Add($"The Apple pass certificate is not valid before {Day(inUse.NotBefore)}: configure a certificate that is valid now ({RotationSection}).");
        }
        else if (apple.CertificateDaysLeft < certificateExpiryWarningDays)
        {
            degraded.Add($"The Apple pass certificate expires in {apple.CertificateDaysLeft} days ({Day(apple.CertificateExpiresAt)}): rotate it ({RotationSection}).");
        }

        degraded.AddRange(apple.IgnoredCertificates);

        // Another program's certificate only affects that program's passes: degraded, never unhealthy (taking the
        // instance out of rotation would stop the other programs too).
        foreach (var other in apple.OtherPassTypes)
        {
            var setting = $"WalletPasses:Apple:PassTypeCertificates:{other.Name}";
            if (!other.Valid)
            {
                degraded.Add($"The pass certificate of {other.PassTypeIdentifier} ({setting}) {(other.ExpiresAt <= now ? $"expired on {Day(other.ExpiresAt)}" : "is not valid yet")}: that program's passes cannot be signed or updated; install a valid certificate ({RotationSection}).");
            }
            else if (other.DaysLeft < certificateExpiryWarningDays)
            {
                degraded.Add($"The pass certificate of {other.PassTypeIdentifier} ({setting}) expires in {other.DaysLeft} days ({Day(other.ExpiresAt)}): rotate it ({RotationSection}).");
            }
        }

        if (apple.ApnsCertificateRejected)
        {
            degraded.Add($"APNs refuses the pass certificate ({apple.ApnsCertificateRejectionReason}, last at {Time(apple.ApnsCertificateRejectedAt)}): pass updates do not reach devices; check that it is the Pass Type ID certificate of {apple.PassTypeIdentifier} and not revoked, and replace it ({RotationSection}).");
        }
        else if (apple.LastPushFailedAt is { } pushFailedAt && !(apple.LastPushDeliveredAt > pushFailedAt) && now - pushFailedAt < RecentFailure)
        {
            degraded.Add($"Pushes to APNs failed at {Time(pushFailedAt)} ({apple.LastPushFailureReason}): updates are retried; check outbound HTTPS to APNs (WalletPasses:Apple:ApnsBaseUrl).");
        }

        if (google is { Enabled: true, Failing: true, LastFailedAt: { } googleFailedAt } && now - googleFailedAt < RecentFailure)
        {
            // Each kind points where the fault is: the key, Google itself, the rate, the network, or the app's own limit.
            var failure = $"{google.Failure}, last at {Time(googleFailedAt)}";
            degraded.Add(google.FailureKind switch
            {
                GoogleCallFailureKind.ServiceAccountRefused => $"Google Wallet refuses the service account ({failure}): check WalletPasses:Google:ServiceAccountKeyFile (or ServiceAccountKeyJson) and that the service account is a user of issuer {google.IssuerId} in the Google Pay & Wallet Console.",
                GoogleCallFailureKind.RequestRefused => $"Google Wallet refuses what the app sends ({failure}; {google.RefusedResources} object(s) or class(es) refused and not written since): those updates fail until it is fixed, other members' updates going through does not clear this; the app's log has Google's message naming the field (\"Google Wallet sync of member … failed\"): usually a Google field of the program template (README, Template publishing), else the member data.",
                GoogleCallFailureKind.GoogleError => $"Google Wallet answers with server errors ({failure}): the fault is on Google's side; updates are kept and retried until it recovers.",
                GoogleCallFailureKind.GoogleThrottling => $"Google Wallet throttles the app's calls ({failure}): updates are kept and retried; lower WalletPasses:Google:RequestsPerSecond, or ask Google for a higher quota for issuer {google.IssuerId}.",
                GoogleCallFailureKind.ClientRateLimit => $"Google Wallet calls are held back by the app's own rate limit, not by Google ({failure}): updates are kept and retried; raise WalletPasses:Google:RequestsPerSecond if Google's quota for issuer {google.IssuerId} allows.",
                _ => $"Google Wallet does not answer ({failure}): updates are kept and retried; check outbound HTTPS to Google (WalletPasses:Google:ApiBaseUrl, and the service account key's token_uri).",
            });
        }

        if (backlog is { OldestPendingSince: { } oldest } && now - oldest >= BacklogWarningAge)
        {
            var members = backlog.PendingMembers + (backlog.MoreNotCounted ? " or more" : "");
            degraded.Add($"Pass updates are waiting: {members} member(s) have a version not yet delivered to {string.Join(" and ", backlog.PendingPlatforms)}, the oldest for {Age(now - oldest)}; fix the platform's problem, and see GET /api/members/{{memberId}}/delivery for one member.");
        }

        // Counted, not named: health answers anyone, and a staff key's name is often a person's; the log names them.
        if (refusedStaffKeys is { Count: > 0 } refused)
        {
            degraded.Add($"{refused.Count} staff key(s) under the setting WalletPasses:ApiKeys:Staff are refused: a staff key created through the API already has the name, and a name is one identity (rate limit, scan log, revocation). The app's log names them (\"is refused\"); give each settings key another name, or remove it.");
        }

        return new HealthVerdict(unhealthy.Count > 0 ? Unhealthy : degraded.Count > 0 ? Degraded : Ok, [.. unhealthy, .. degraded]);
    }

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "unknown";

    private static string Age(TimeSpan age) =>
        age.TotalDays >= 2 ? $"{(int)age.TotalDays} days"
        : age.TotalHours >= 2 ? $"{(int)age.TotalHours} hours"
        : $"{(int)age.TotalMinutes} minutes";
}
