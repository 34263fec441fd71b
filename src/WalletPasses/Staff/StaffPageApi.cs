using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using WalletPasses.Barcodes;
using WalletPasses.Http;
using WalletPasses.Programs;
using WalletPasses.Security;

namespace WalletPasses.Staff;

/// <summary>
/// The staff web page: <c>GET /api/staff</c> with its script, styles, the vendored QR decoder (jsQR) and a
/// service worker that lets it open offline, all served by the app. The page itself holds no secret; the
/// staff key is entered on the device.
/// </summary>
public static partial class StaffPageApi
{
    public const string PageRoute = "staff";
    public const string ScriptRoute = "staff/staff.js";
    public const string StylesRoute = "staff/staff.css";
    public const string QrDecoderRoute = "staff/jsQR.js";
    public const string ServiceWorkerRoute = "staff/sw.js";
    public const string MeRoute = "staff/me";
    public const string VoidedRoute = "staff/voided";

    public static IEndpointRouteBuilder MapStaffPageApi(this IEndpointRouteBuilder app)
    {
        app.MapWebAsset(PageRoute, "staff/index.html");
        app.MapWebAsset(ScriptRoute, "staff/staff.js");
        app.MapWebAsset(StylesRoute, "staff/staff.css");
        app.MapWebAsset(QrDecoderRoute, "vendor/jsQR.js");

        // The service worker lives beside the assets but must control the page one level up.
        app.MapWebAsset(ServiceWorkerRoute, "staff/sw.js").AddEndpointFilter(async (context, next) =>
        {
            context.HttpContext.Response.Headers["Service-Worker-Allowed"] = "/api/staff";
            return await next(context);
        });
        app.MapGet(MeRoute, GetMe).RequireAuthorization(ApiKeyAuthentication.StaffPolicy);
        app.MapGet(VoidedRoute, GetVoided).RequireAuthorization(ApiKeyAuthentication.StaffPolicy).RequireRateLimiting(StaffRateLimiting.Policy);
        return app;
    }

    /// <summary>
    /// Serials of voided passes of the staff key's programs (<see cref="StaffPrograms"/>) after <paramref name="after"/>
    /// (the <c>next</c> of the previous page; empty at first), which the page keeps so a voided pass never passes its
    /// offline check once it has synced.
    /// </summary>
    public static async Task<Results<Ok<VoidedPage>, ValidationProblem>> GetVoided(
        string? after, ClaimsPrincipal user, StaffKeyStore keys, ProgramRegistry programs, VoidedPasses voided, CancellationToken cancellationToken)
    {
        if (after is { Length: > 0 } && !VoidedCursor().IsMatch(after))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["after"] = ["after is the next value of a previous answer."] });
        }

        var (serials, next) = await voided.AfterAsync(after ?? "", await StaffPrograms.OfAsync(user, keys, programs, cancellationToken), cancellationToken);
        return TypedResults.Ok(new VoidedPage(serials, next));
    }

    [GeneratedRegex(@"\A[0-9]{19}\|[0-9a-f]{32}\z")]
    private static partial Regex VoidedCursor();

    /// <summary>Which staff key this is and the programs it is limited to: lets the page check a key when it is entered.</summary>
    public static async Task<Ok<StaffIdentity>> GetMe(ClaimsPrincipal user, StaffKeyStore keys, CancellationToken cancellationToken) =>
        TypedResults.Ok(new StaffIdentity(user.Identity!.Name!, (await keys.ProgramsOfAsync(user.Identity.Name!, cancellationToken))?.Order(StringComparer.Ordinal).ToArray()));
}
