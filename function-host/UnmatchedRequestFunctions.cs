using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace WalletPasses.Functions;

/// <summary>
/// Every request under the route prefix that no route function takes. The host gives each HTTP function a route with an
/// HTTP method constraint of its trigger's methods, none when it lists none, and orders routes literal segments first
/// (Azure/azure-functions-host, src/WebJobs.Script.WebHost/WebScriptHostHttpRoutesManager.cs and WebJobsRouteBuilder's
/// RouteComparison), so this catch-all of every method comes last. Without it, a known route with a method it does not
/// take (<c>POST /api/members/m-42</c>) and an unknown path were the host's own empty 404; now they get the standalone
/// host's answers: 405 with <c>Allow</c>, and 404, as problem details.
/// </summary>
public sealed class UnmatchedRequestFunctions(ApiEndpoints api)
{
    public const string FunctionName = "UnmatchedRequest";

    /// <summary>Every path below the prefix; its trigger lists no method, so the host takes every method.</summary>
    public const string Route = "{*path}";

    [Function(FunctionName)]
    public Task<IResult> Unmatched([HttpTrigger(AuthorizationLevel.Anonymous, Route = Route)] HttpRequest request) =>
        api.InvokeUnmatchedAsync(request);
}
