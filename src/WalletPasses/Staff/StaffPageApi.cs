using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using WalletPasses.Hosting;
using WalletPasses.Security;

namespace WalletPasses.Staff;

public sealed record StaffIdentity(string Name);

/// <summary>
/// The staff web page: <c>GET /api/staff</c> with its script, styles, the vendored QR decoder (jsQR) and a
/// service worker that lets it open offline, all served by the app. The page itself holds no secret; the
/// staff key is entered on the device.
/// </summary>
public static class StaffPageApi
{
    public const string PageRoute = "staff";
    public const string ScriptRoute = "staff/staff.js";
    public const string StylesRoute = "staff/staff.css";
    public const string QrDecoderRoute = "staff/jsQR.js";
    public const string ServiceWorkerRoute = "staff/sw.js";
    public const string MeRoute = "staff/me";

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
        return app;
    }

    /// <summary>Which staff key this is: lets the page check a key when it is entered.</summary>
    public static Ok<StaffIdentity> GetMe(ClaimsPrincipal user) => TypedResults.Ok(new StaffIdentity(user.Identity!.Name!));
}
