using WalletPasses.Delivery;
using WalletPasses.Google;
using WalletPasses.Health;

namespace WalletPasses.Tests.Health;

/// <summary>The health rules as a pure function: which facts make an instance degraded or unhealthy, and what it says.</summary>
public sealed class HealthAssessmentTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    private static readonly StorageHealth Reachable = new(true, null);
    private static readonly TemplateHealth Loaded = new(true, "\"0x1\"", null);
    private static readonly GoogleHealth GoogleOff = new(false, null, null, false, false, null, null, null, 0);

    private static AppleHealth Apple(DateTimeOffset expiresAt, DateTimeOffset? pushFailedAt = null, DateTimeOffset? deliveredAt = null, IReadOnlyList<PassTypeCertificateHealth>? otherPassTypes = null) => new(
        "pass.com.example.loyalty", expiresAt, (int)Math.Floor((expiresAt - Now).TotalDays),
        [new AppleCertificateHealth("Certificate", "01", expiresAt.AddYears(-1), expiresAt, true)], [],
        false, null, null, deliveredAt, pushFailedAt, pushFailedAt is null ? null : "APNs did not answer", otherPassTypes ?? []);

    private static HealthVerdict Assess(
        StorageHealth? storage = null, TemplateHealth? template = null, AppleHealth? apple = null, GoogleHealth? google = null, AnnouncementBacklogHealth? backlog = null) =>
        HealthAssessment.Assess(storage ?? Reachable, template ?? Loaded, "default", apple ?? Apple(Now.AddDays(200)), google ?? GoogleOff, backlog, 30, Now);

    [Fact]
    public void Nothing_wrong_is_ok_without_reasons()
    {
        var verdict = Assess();

        Assert.Equal("ok", verdict.Status);
        Assert.Empty(verdict.Reasons);
    }

    [Fact]
    public void Storage_down_is_unhealthy_and_the_template_is_not_blamed_for_it()
    {
        var verdict = Assess(storage: new StorageHealth(false, "no answer"), template: new TemplateHealth(false, null, "not checked while storage cannot be reached"));

        Assert.Equal("unhealthy", verdict.Status);
        Assert.StartsWith("Storage cannot be reached (no answer)", Assert.Single(verdict.Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_template_is_unhealthy_and_names_the_blob_to_upload()
    {
        var verdict = Assess(template: new TemplateHealth(false, null, "No program template at 'templates/default/template.json'."));

        Assert.Equal("unhealthy", verdict.Status);
        Assert.Contains("upload a valid templates/default/template.json", Assert.Single(verdict.Reasons), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(31, "ok")]
    [InlineData(29, "degraded")]
    [InlineData(-1, "unhealthy")]
    public void The_certificate_in_use_warns_30_days_ahead_and_is_unhealthy_once_expired(int daysLeft, string status) =>
        Assert.Equal(status, Assess(apple: Apple(Now.AddDays(daysLeft).AddHours(1))).Status);

    [Theory]
    [InlineData(31, true, "ok", null)]
    [InlineData(29, true, "degraded", "expires in 29 days")]
    [InlineData(-1, false, "degraded", "expired on 2026-12-02")]
    public void Another_programs_certificate_warns_30_days_ahead_and_once_expired_degrades_but_never_takes_the_instance_out(int daysLeft, bool valid, string status, string? reason)
    {
        // Only that program's passes suffer; a 503 would take every program's passes out of rotation with it.
        var expiresAt = Now.AddDays(daysLeft).AddHours(1);
        var verdict = Assess(apple: Apple(Now.AddDays(200), otherPassTypes: [new PassTypeCertificateHealth("brand2", "pass.com.example.brand2", expiresAt, daysLeft, valid)]));

        Assert.Equal(status, verdict.Status);
        if (reason is not null)
        {
            var said = Assert.Single(verdict.Reasons);
            Assert.Contains("pass.com.example.brand2 (WalletPasses:Apple:PassTypeCertificates:brand2)", said, StringComparison.Ordinal);
            Assert.Contains(reason, said, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_push_failure_counts_until_a_push_succeeds_or_two_hours_pass()
    {
        Assert.Equal("degraded", Assess(apple: Apple(Now.AddDays(200), pushFailedAt: Now.AddMinutes(-5))).Status);
        Assert.Equal("ok", Assess(apple: Apple(Now.AddDays(200), pushFailedAt: Now.AddMinutes(-5), deliveredAt: Now.AddMinutes(-1))).Status);
        Assert.Equal("ok", Assess(apple: Apple(Now.AddDays(200), pushFailedAt: Now.AddHours(-3))).Status);
    }

    [Fact]
    public void A_backlog_is_degraded_only_past_15_minutes_and_says_the_sample_may_be_larger()
    {
        var young = Assess(backlog: new AnnouncementBacklogHealth(3, false, Now.AddMinutes(-14), ["google"]));
        var old = Assess(backlog: new AnnouncementBacklogHealth(50, true, Now.AddHours(-5), ["apple", "google"]));

        Assert.Equal("ok", young.Status);
        Assert.Equal("degraded", old.Status);
        Assert.StartsWith("Pass updates are waiting: 50 or more member(s) have a version not yet delivered to apple and google, the oldest for 5 hours", Assert.Single(old.Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void Google_off_is_never_a_reason_and_on_it_tells_an_outage_from_a_refused_key()
    {
        var outage = Assess(google: Failing(GoogleCallFailureKind.GoogleError, "503 UNAVAILABLE"));
        var refused = Assess(google: Failing(GoogleCallFailureKind.ServiceAccountRefused, "403 Forbidden"));

        Assert.StartsWith("Google Wallet answers with server errors (503 UNAVAILABLE", Assert.Single(outage.Reasons), StringComparison.Ordinal);
        Assert.StartsWith("Google Wallet refuses the service account (403 Forbidden", Assert.Single(refused.Reasons), StringComparison.Ordinal);
        Assert.Equal("ok", Assess(google: GoogleOff).Status);
    }

    // Each reason points where the fault is: only no answer is about the network path to Google; Google's own 5xx and
    // throttling are not; the app's own rate limit (ClientRateLimitHandler) is not Google's at all.
    [Theory]
    [InlineData(GoogleCallFailureKind.GoogleError, "Google Wallet answers with server errors", "Google's side")]
    [InlineData(GoogleCallFailureKind.GoogleThrottling, "Google Wallet throttles the app's calls", "lower WalletPasses:Google:RequestsPerSecond")]
    [InlineData(GoogleCallFailureKind.NoAnswer, "Google Wallet does not answer", "check outbound HTTPS to Google")]
    [InlineData(GoogleCallFailureKind.ClientRateLimit, "Google Wallet calls are held back by the app's own rate limit, not by Google", "raise WalletPasses:Google:RequestsPerSecond")]
    [InlineData(GoogleCallFailureKind.RequestRefused, "Google Wallet refuses what the app sends", "usually a Google field of the program template")]
    public void Each_kind_of_Google_failure_says_where_to_look(GoogleCallFailureKind kind, string start, string advice)
    {
        var reason = Assert.Single(Assess(google: Failing(kind, "detail")).Reasons);

        Assert.StartsWith(start + " (detail, last at ", reason, StringComparison.Ordinal);
        Assert.Contains(advice, reason, StringComparison.Ordinal);
        Assert.Equal(kind == GoogleCallFailureKind.NoAnswer, reason.Contains("outbound HTTPS", StringComparison.Ordinal));
    }

    private static GoogleHealth Failing(GoogleCallFailureKind kind, string failure) =>
        new(true, "3388000000022222222", Now.AddMinutes(-30), true, kind == GoogleCallFailureKind.ServiceAccountRefused, Now.AddMinutes(-1), failure, kind, kind == GoogleCallFailureKind.RequestRefused ? 1 : 0);
}
