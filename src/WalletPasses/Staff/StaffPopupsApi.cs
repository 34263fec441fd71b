using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WalletPasses.Popups;
using WalletPasses.Programs;
using WalletPasses.Security;

namespace WalletPasses.Staff;

/// <summary>
/// The staff page's list of the pop-ups it can be at. In Staff, not Popups: it reads the staff key's programs, and
/// Staff already uses Popups (a validation's pop-up), never the reverse.
/// </summary>
public static class StaffPopupsApi
{
    public const string StaffPopupsRoute = "staff/popups";

    public static IEndpointRouteBuilder MapStaffPopupsApi(this IEndpointRouteBuilder app)
    {
        // Rate limited like validations: each call reads the pop-up table once per program.
        app.MapGet(StaffPopupsRoute, Current).RequireAuthorization(ApiKeyAuthentication.StaffPolicy).RequireRateLimiting(StaffRateLimiting.Policy);
        return app;
    }

    /// <summary>The pop-ups announced or open now in every program the staff key works in (<see cref="StaffPrograms"/>), soonest first per program, each naming its program.</summary>
    public static async Task<Ok<PopupList>> Current(
        ClaimsPrincipal user, StaffKeyStore keys, ProgramRegistry programs, PopupStore store, IOptions<PopupsOptions> popupOptions, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var announceBefore = popupOptions.Value.AnnounceBefore;
        var documents = new List<PopupDocument>();
        foreach (var programId in await StaffPrograms.OfAsync(user, keys, programs, cancellationToken))
        {
            var popups = PopupRules.Carried((await store.ListAsync(programId, cancellationToken)).Select(row => row.ToPopup()), now, announceBefore);
            documents.AddRange(popups.Select(p => PopupDocument.From(programId, p, PopupRules.PhaseOf(p, now, announceBefore))));
        }

        return TypedResults.Ok(new PopupList(documents));
    }
}
