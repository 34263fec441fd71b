using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WalletPasses.Http;
using WalletPasses.Programs;
using WalletPasses.Security;

namespace WalletPasses.Staff;

/// <summary>
/// Backend routes that manage staff keys: a key per store or device, shown once at creation, stored as
/// SHA-256, revocable. Keys from the settings are listed too but only the settings change them.
/// </summary>
public static class StaffKeysApi
{
    public const string KeysRoute = "staff-keys";
    public const string KeyRoute = "staff-keys/{name}";

    public static RouteGroupBuilder MapStaffKeysApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").RequireAuthorization(ApiKeyAuthentication.BackendPolicy);
        api.MapPost(KeysRoute, CreateKey);
        api.MapGet(KeysRoute, ListKeys);
        api.MapDelete(KeyRoute, RevokeKey);
        return api;
    }

    public static async Task<Results<Created<CreatedStaffKey>, ValidationProblem, ProblemHttpResult>> CreateKey(
        HttpRequest request, ClaimsPrincipal user, StaffKeyStore keys, ProgramRegistry programs, IOptionsMonitor<ApiKeyOptions> apiKeys, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<StaffKeyInput>(request, JsonBody.DefaultLimitBytes, cancellationToken);
        if (body.Problem is { } problem)
        {
            return problem.Result;
        }

        var name = body.Value!.Name;
        if (StaffInput.NameError("name", name) is { } nameError)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = [nameError] });
        }

        var limited = BackendKeyPrograms.Of(user, apiKeys.CurrentValue);
        if (limited is not null && body.Value.Programs is null)
        {
            // A key of every program would see the other brands' passes.
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["programs"] = ["This backend key works in some programs only: name the programs of the staff key."] });
        }

        foreach (var programId in body.Value.Programs ?? [])
        {
            if (limited?.Contains(programId ?? "") == false || !await programs.IsKnownAsync(programId ?? "", cancellationToken))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["programs"] = [$"This deployment has no program '{programId}'."] });
            }
        }

        if (body.Value.Programs is { Count: 0 })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["programs"] = ["Name at least one program, or leave programs out for every program."] });
        }

        var (change, created) = await keys.CreateAsync(name!, user.Identity!.Name!, body.Value.Programs?.Distinct(StringComparer.Ordinal).ToList(), cancellationToken);
        return change switch
        {
            StaffKeyChange.Done => TypedResults.Created($"/api/staff-keys/{name}", created),
            StaffKeyChange.Configured => NameTaken(name!, $"a staff key from the settings (WalletPasses:ApiKeys:Staff:{name}; names are one identity, whatever their case)"),
            _ => NameTaken(name!, "an existing or revoked staff key (names are never reused, so past scans stay attributable)"),
        };
    }

    /// <summary>Every staff key; to a backend key limited to programs, only the keys limited to some of those.</summary>
    public static async Task<Ok<StaffKeyList>> ListKeys(ClaimsPrincipal user, StaffKeyStore keys, IOptionsMonitor<ApiKeyOptions> apiKeys, CancellationToken cancellationToken) =>
        TypedResults.Ok(new StaffKeyList([.. (await keys.ListAsync(cancellationToken)).Where(key => IsVisible(key, BackendKeyPrograms.Of(user, apiKeys.CurrentValue)))]));

    /// <summary>Revokes at once on this instance, within <see cref="StaffOptions.KeyRefreshInterval"/> on others: 204.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeKey(
        string name, ClaimsPrincipal user, StaffKeyStore keys, IOptionsMonitor<ApiKeyOptions> apiKeys, CancellationToken cancellationToken)
    {
        if (StaffInput.NameError("name", name) is { } nameError)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid staff key name", detail: nameError); // the contract's rule for every identifier
        }

        if (BackendKeyPrograms.Of(user, apiKeys.CurrentValue) is { } limited
            && !(await keys.ListAsync(cancellationToken)).Any(key => key.Name == name && IsVisible(key, limited)))
        {
            return UnknownKey(name); // another brand's key, as if there were none
        }

        return await keys.RevokeAsync(name, cancellationToken) switch
        {
            StaffKeyChange.Done => TypedResults.NoContent(),
            StaffKeyChange.Configured => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Configured staff key",
                detail: $"'{name}' comes from the settings (WalletPasses:ApiKeys:Staff); remove it there."),
            _ => UnknownKey(name),
        };
    }

    /// <summary>Whether a backend key limited to <paramref name="limited"/> (null: every program) may see and revoke the staff key.</summary>
    private static bool IsVisible(StaffKeyInfo key, IReadOnlySet<string>? limited) =>
        limited is null || (key.Programs is { } programs && programs.All(limited.Contains));

    private static ProblemHttpResult NameTaken(string name, string what) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Name taken", detail: $"'{name}' is {what}.");

    private static ProblemHttpResult UnknownKey(string name) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown staff key", detail: $"No staff key named '{(name.Length > 64 ? name[..64] + "…" : name)}'.");
}
