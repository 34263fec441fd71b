using Microsoft.AspNetCore.Http.HttpResults;
using WalletPasses.Apple;
using WalletPasses.Google;
using WalletPasses.Templates;

namespace WalletPasses.Health;

public sealed record HealthReport(string Status, string Program, AppleHealth Apple, GoogleHealth Google);

public sealed record AppleHealth(string PassTypeIdentifier, DateTimeOffset CertificateExpiresAt);

public sealed record GoogleHealth(bool Enabled);

/// <summary><c>GET /api/health</c>: 200 once the app can serve (storage ready, template and certificates loaded).</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/health", GetHealth).AllowAnonymous();
        return app;
    }

    public static async Task<Ok<HealthReport>> GetHealth(
        ITemplateSource templates, PassCertificates certificates, GoogleWalletFeature google, CancellationToken cancellationToken)
    {
        var template = await templates.GetCurrentAsync(cancellationToken);
        return TypedResults.Ok(new HealthReport(
            "ok",
            template.Template.ProgramId,
            new AppleHealth(certificates.PassTypeIdentifier ?? "", certificates.ExpiresAt),
            new GoogleHealth(google.Enabled)));
    }
}
