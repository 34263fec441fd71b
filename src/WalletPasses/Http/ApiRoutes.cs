namespace WalletPasses.Http;

/// <summary>
/// Every public route is below <c>/api</c>; the Functions host's <c>extensions.http.routePrefix</c> is the same, and
/// its functions, like the OpenAPI operation catalog, name a route relative to it.
/// </summary>
public static class ApiRoutes
{
    public const string Prefix = "api";

    /// <summary><c>/api/members/{memberId}</c> and group forms such as <c>/api/redemptions/</c> → <c>members/{memberId}</c>, <c>redemptions</c>.</summary>
    public static string Relative(string route)
    {
        var trimmed = route.Trim('/');
        return trimmed.StartsWith(Prefix + "/", StringComparison.Ordinal) ? trimmed[(Prefix.Length + 1)..].TrimEnd('/') : trimmed;
    }
}
