using System.Security.Claims;
using Microsoft.Extensions.Options;
using WalletPasses.Programs;

namespace WalletPasses.Security;

/// <summary>
/// The programs a backend key acts for: those its name lists under <c>WalletPasses:ApiKeys:BackendPrograms</c>, else
/// every program. In a deployment of several brands each brand's backend gets a key of its own programs, and another
/// program is answered to it exactly like a program the deployment does not have, so it learns nothing of it.
/// </summary>
public static class BackendKeyPrograms
{
    /// <summary>The programs the authenticated backend key is limited to; null: every program. From the settings, no storage request.</summary>
    public static IReadOnlySet<string>? Of(ClaimsPrincipal backend, ApiKeyOptions options)
    {
        var name = backend.Identity?.Name;
        // Configuration keys are case-insensitive, so the key's name may be spelled differently in the two sections.
        var limited = options.BackendPrograms.FirstOrDefault(entry => string.Equals(entry.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
        return name is null || limited is null ? null : limited.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Whether the backend key may act for <paramref name="programId"/>.</summary>
    public static bool Allows(ClaimsPrincipal backend, ApiKeyOptions options, string programId) =>
        Of(backend, options) is not { } allowed || allowed.Contains(programId);

    /// <summary>
    /// Answers 404 "Unknown program" before the handler runs when the backend key is limited to other programs than the
    /// route's <c>{programId}</c> (the default program on the unprefixed routes).
    /// </summary>
    public static TBuilder RequireProgramOfBackendKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var programId = http.GetRouteValue(ProgramScope.RouteValue) as string
                ?? http.RequestServices.GetRequiredService<IOptions<WalletPassesOptions>>().Value.ProgramId;
            return Allows(http.User, http.RequestServices.GetRequiredService<IOptionsMonitor<ApiKeyOptions>>().CurrentValue, programId)
                ? await next(context)
                : ProgramRoutes.UnknownProgram(programId);
        }).WithMetadata(ProgramOfBackendKeyMetadata.Instance);
}
