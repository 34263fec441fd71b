using System.Reflection;

namespace WalletPasses.Programs;

/// <summary>
/// The program a member route is about: the <c>{programId}</c> of <c>/api/programs/{programId}/…</c>, or the default
/// program on the unprefixed routes. A handler parameter of this type binds itself from the route (no query string,
/// no storage request); <see cref="ProgramRoutes.RequireKnownProgram"/> has already answered 404 for an unknown program.
/// </summary>
public sealed record ProgramScope(string ProgramId, string DefaultProgramId)
{
    /// <summary>The route value of prefixed routes.</summary>
    public const string RouteValue = "programId";

    /// <summary>Where the program's member is stored (see <see cref="ProgramMembers"/>).</summary>
    public string StorageId(string memberId) => ProgramMembers.StorageId(ProgramId, memberId, DefaultProgramId);

    /// <summary>The route prefix of the member's routes in this program ("" for the default program's unprefixed routes).</summary>
    public string MemberPath(string memberId) =>
        (ProgramId == DefaultProgramId ? "/api/" : $"/api/programs/{ProgramId}/") + "members/" + Uri.EscapeDataString(memberId);

    /// <summary>The deployment's configured program.</summary>
    public static ProgramScope Default(ProgramRegistry registry) => new(registry.DefaultProgramId, registry.DefaultProgramId);

    public static ValueTask<ProgramScope?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var registry = context.RequestServices.GetRequiredService<ProgramRegistry>();
        return ValueTask.FromResult<ProgramScope?>(context.GetRouteValue(RouteValue) is string programId ? new ProgramScope(programId, registry.DefaultProgramId) : Default(registry));
    }
}
