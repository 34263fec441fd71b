using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WalletPasses.Apple;
using WalletPasses.Apple.Apns;
using WalletPasses.Delivery;
using WalletPasses.Google;
using WalletPasses.Http;
using WalletPasses.Staff;
using WalletPasses.Storage;
using WalletPasses.Templates;

namespace WalletPasses.Health;

/// <summary>
/// <c>GET /api/health</c>: what an operator must fix, for a person and for a load balancer. 200 while the app can
/// serve (<c>ok</c>, or <c>degraded</c> with reasons), 503 when it cannot (<c>unhealthy</c>: storage, template or
/// certificate), so Azure's health check and load balancers take the instance out of rotation only then. A storage
/// outage is reported in the body, never as an error page. The rules are <see cref="HealthAssessment"/>.
/// </summary>
public static class HealthApi
{
    public const string HealthRoute = "health";

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(HealthRoute, GetHealth).AllowAnonymous()
            .Produces<HealthReport>(StatusCodes.Status200OK)
            .Produces<HealthReport>(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    public static async Task<JsonHttpResult<HealthReport>> GetHealth(
        StorageProbe storageProbe,
        ITemplateSource templates,
        ProgramCertificates certificates,
        ApnsHealth apns,
        GoogleWalletFeature google,
        GoogleWalletHealth googleHealth,
        AnnouncementBacklog backlog,
        DeliveryHealthSource delivery,
        StaffKeyStore staffKeys,
        IOptions<WalletPassesOptions> options,
        IOptions<AppleOptions> appleOptions,
        TimeProvider time,
        HttpResponse response,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var storageProblem = await storageProbe.ProblemAsync(cancellationToken);
        var storage = new StorageHealth(storageProblem is null, storageProblem);

        // Everything below reads storage: skipped while it is out, so the answer comes at once. The reads are
        // independent and go out together: a scaled-from-zero instance's first answer waits for one round trip, not three.
        var (template, backlogHealth, deliveryHealth) = (new TemplateHealth(false, null, "not checked while storage cannot be reached"), (AnnouncementBacklogHealth?)null, (DeliveryHealth?)null);
        IReadOnlyList<string> refusedStaffKeys = [];
        if (storage.Reachable)
        {
            var (templateRead, backlogRead, deliveryRead, staffKeysRead) = (TemplateAsync(templates, cancellationToken), OrNullAsync(backlog.GetAsync), OrNullAsync(delivery.GetAsync), staffKeys.NameClashesAsync(cancellationToken));
            (template, backlogHealth, deliveryHealth, refusedStaffKeys) = (await templateRead, await backlogRead, await deliveryRead, await staffKeysRead);
        }

        var apple = Apple(certificates, apns.GetSnapshot(), now);
        var googleSnapshot = googleHealth.GetSnapshot();
        var googleState = new GoogleHealth(
            google.Enabled, google.IssuerId, googleSnapshot.LastAnsweredAt, googleSnapshot.Failing is not null,
            googleSnapshot.Failing?.Kind == GoogleCallFailureKind.ServiceAccountRefused, googleSnapshot.Failing?.At, googleSnapshot.Failing?.Detail,
            googleSnapshot.Failing?.Kind, googleSnapshot.RefusedResources);

        var verdict = HealthAssessment.Assess(storage, template, options.Value.ProgramId, apple, googleState, backlogHealth, appleOptions.Value.CertificateExpiryWarningDays, now, refusedStaffKeys);
        response.Headers.CacheControl = "no-store";
        if (verdict.Status == HealthAssessment.Unhealthy)
        {
            RetryAfter.Set(response, RetryAfter.Default); // a 503 like every other of the service (a load balancer's probe ignores it)
        }

        return TypedResults.Json(
            new HealthReport(verdict.Status, verdict.Reasons, options.Value.ProgramId, storage, template, apple, googleState, backlogHealth, deliveryHealth),
            statusCode: verdict.Status == HealthAssessment.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);

        async Task<T?> OrNullAsync<T>(Func<CancellationToken, Task<T>> read)
            where T : class
        {
            try
            {
                return await read(cancellationToken);
            }
            catch (Exception e) when (StorageOutage.Is(e))
            {
                return null; // storage went away since the probe: the next check says so
            }
        }
    }

    private static async Task<TemplateHealth> TemplateAsync(ITemplateSource templates, CancellationToken cancellationToken)
    {
        try
        {
            var loaded = await templates.GetCurrentAsync(cancellationToken);
            return new TemplateHealth(true, loaded.Version, null);
        }
        catch (InvalidTemplateException e)
        {
            return new TemplateHealth(false, null, e.Message);
        }
        catch (Exception e) when (StorageOutage.Is(e))
        {
            return new TemplateHealth(false, null, "storage did not answer while loading it");
        }
    }

    private static AppleHealth Apple(ProgramCertificates programs, ApnsHealthSnapshot push, DateTimeOffset now)
    {
        var certificates = programs.Main;
        var inUse = certificates.InUseAt(now);
        return new AppleHealth(
            certificates.PassTypeIdentifier ?? "",
            inUse.NotAfter,
            DaysLeft(inUse.NotAfter, now),
            [.. certificates.All.Select(c => new AppleCertificateHealth(c.Setting, c.SerialNumber, c.NotBefore, c.NotAfter, c == inUse))],
            certificates.Ignored,
            push.CertificateRejected,
            push.LastCertificateRejectedAt,
            push.LastCertificateRejectionReason,
            push.LastDeliveredAt,
            push.LastFailedAt,
            push.LastFailureReason,
            [.. programs.Named.Select(named => PassType(named.Key, named.Value, now))]);
    }

    private static PassTypeCertificateHealth PassType(string name, PassCertificates certificates, DateTimeOffset now)
    {
        var inUse = certificates.InUseAt(now);
        return new(name, certificates.PassTypeIdentifier ?? "", inUse.NotAfter, DaysLeft(inUse.NotAfter, now), inUse.IsValidAt(now));
    }

    private static int DaysLeft(DateTimeOffset notAfter, DateTimeOffset now) => (int)Math.Floor((notAfter - now).TotalDays);
}
