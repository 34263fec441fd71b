using WalletPasses.Delivery;
using WalletPasses.Google;

namespace WalletPasses.Health;

/// <summary>
/// What <c>GET /api/health</c> answers. <see cref="Status"/> is <c>ok</c>, <c>degraded</c> (it serves, but
/// something needs an operator: 200) or <c>unhealthy</c> (it cannot serve: 503); <see cref="Reasons"/> says what
/// to fix, one sentence each. Never a secret: names of settings, dates, status codes and reasons only.
/// </summary>
public sealed record HealthReport(
    string Status,
    IReadOnlyList<string> Reasons,
    string Program,
    StorageHealth Storage,
    TemplateHealth Template,
    AppleHealth Apple,
    GoogleHealth Google,
    AnnouncementBacklogHealth? Announcements,
    DeliveryHealth? Delivery);

/// <param name="Problem">Why storage could not be reached (status and error code, or "no answer").</param>
public sealed record StorageHealth(bool Reachable, string? Problem);

/// <param name="Problem">Why no template is loaded; null when one is.</param>
public sealed record TemplateHealth(bool Loaded, string? Version, string? Problem);

/// <summary>
/// <see cref="CertificateExpiresAt"/> and <see cref="CertificateDaysLeft"/> are the certificate in use (the newest
/// valid one); <see cref="ApnsCertificateRejected"/>: APNs refused it (403) and no push has succeeded since.
/// </summary>
public sealed record AppleHealth(
    string PassTypeIdentifier,
    DateTimeOffset CertificateExpiresAt,
    int CertificateDaysLeft,
    IReadOnlyList<AppleCertificateHealth> Certificates,
    IReadOnlyList<string> IgnoredCertificates,
    bool ApnsCertificateRejected,
    DateTimeOffset? ApnsCertificateRejectedAt,
    string? ApnsCertificateRejectionReason,
    DateTimeOffset? LastPushDeliveredAt,
    DateTimeOffset? LastPushFailedAt,
    string? LastPushFailureReason,
    IReadOnlyList<PassTypeCertificateHealth> OtherPassTypes);

/// <summary>The certificate in use of another program's pass type (<c>WalletPasses:Apple:PassTypeCertificates:{Name}</c>).</summary>
/// <param name="Valid">Whether one of its certificates is valid now; when none is, its programs' passes cannot be signed or pushed.</param>
public sealed record PassTypeCertificateHealth(string Name, string PassTypeIdentifier, DateTimeOffset ExpiresAt, int DaysLeft, bool Valid);

/// <param name="Setting">Which setting it came from: <c>Certificate</c> or <c>NextCertificate</c>.</param>
/// <param name="InUse">Whether it signs passes and authenticates to APNs now.</param>
public sealed record AppleCertificateHealth(string Setting, string SerialNumber, DateTimeOffset NotBefore, DateTimeOffset NotAfter, bool InUse);

/// <param name="Failing">The latest call failed and none has succeeded since, or Google refused a write (400) of an object or
/// class not written since.</param>
/// <param name="AuthenticationFailing">That failure is Google (or its OAuth endpoint) refusing the service account.</param>
/// <param name="FailureKind">Whose failure it is (Google's answer, no answer, the app's own rate limit); null when not failing.</param>
/// <param name="RefusedResources">Objects and classes whose latest write Google refused (400), not written since (this instance's count).</param>
public sealed record GoogleHealth(
    bool Enabled,
    string? IssuerId,
    DateTimeOffset? LastAnsweredAt,
    bool Failing,
    bool AuthenticationFailing,
    DateTimeOffset? LastFailedAt,
    string? Failure,
    GoogleCallFailureKind? FailureKind,
    int RefusedResources);
