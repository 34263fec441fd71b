using Microsoft.AspNetCore.Http.HttpResults;
using WalletPasses.Apple;
using WalletPasses.Apple.Apns;
using WalletPasses.Delivery;
using WalletPasses.Google;
using WalletPasses.Templates;

namespace WalletPasses.Health;

public sealed record HealthReport(string Status, string Program, AppleHealth Apple, GoogleHealth Google, DeliveryHealth Delivery);

/// <summary><see cref="ApnsCertificateRejected"/>: APNs refused the certificate (403); pushes fail until an operator fixes it.</summary>
public sealed record AppleHealth(string PassTypeIdentifier, DateTimeOffset CertificateExpiresAt, bool ApnsCertificateRejected, DateTimeOffset? ApnsCertificateRejectedAt, DateTimeOffset? LastPushDeliveredAt);

public sealed record GoogleHealth(bool Enabled);

/// <summary><c>GET /api/health</c>: 200 once the app can serve (storage ready, template and certificates loaded).</summary>
public static class HealthApi
{
    public const string HealthRoute = "health";

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(HealthRoute, GetHealth).AllowAnonymous();
        return app;
    }

    public static async Task<Ok<HealthReport>> GetHealth(
        ITemplateSource templates, PassCertificates certificates, ApnsHealth apns, GoogleWalletFeature google, DeliveryHealthSource delivery, CancellationToken cancellationToken)
    {
        var template = await templates.GetCurrentAsync(cancellationToken);
        var push = apns.GetSnapshot();
        return TypedResults.Ok(new HealthReport(
            push.CertificateRejected ? "degraded" : "ok",
            template.Template.ProgramId,
            new AppleHealth(certificates.PassTypeIdentifier ?? "", certificates.ExpiresAt, push.CertificateRejected, push.LastCertificateRejectedAt, push.LastDeliveredAt),
            new GoogleHealth(google.Enabled),
            await delivery.GetAsync(cancellationToken)));
    }
}
