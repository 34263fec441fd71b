using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using WalletPasses.Http;

namespace WalletPasses.Security;

/// <summary>Authenticates <c>Authorization: Bearer &lt;key&gt;</c> against the keys of one role.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeySchemeOptions> schemeOptions,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<ApiKeyOptions> keys,
    IEnumerable<IRuntimeApiKeys> runtimeKeys,
    IEnumerable<IAuthenticationFailureLimit> failureLimits)
    : AuthenticationHandler<ApiKeySchemeOptions>(schemeOptions, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var failureLimit = failureLimits.FirstOrDefault(l => l.Role == Options.Role);
        if (failureLimit?.RetryAfter(Context) is { } wait)
        {
            Context.Items[typeof(IAuthenticationFailureLimit)] = wait;
            return AuthenticateResult.Fail("Too many failed keys from this client.");
        }

        var presented = ApiKeyHash.Of(header["Bearer ".Length..].Trim());
        string? matchedName = null;
        foreach (var (name, configured) in keys.CurrentValue.ForRole(Options.Role))
        {
            // Compare against every key (no early exit) so timing does not depend on which one matched.
            if (ApiKeyHash.TryParseConfigured(configured, out var hash) && CryptographicOperations.FixedTimeEquals(hash, presented))
            {
                matchedName ??= name;
            }
        }

        foreach (var source in runtimeKeys)
        {
            if (source.Role != Options.Role)
            {
                continue;
            }

            if (matchedName is not null && await source.ClaimsNameAsync(matchedName, Context.RequestAborted))
            {
                matchedName = null; // a configured key whose name a runtime key had first: refused, reported by the runtime keys
            }

            if (matchedName is null)
            {
                try
                {
                    matchedName = await source.FindAsync(presented, Context.RequestAborted);
                }
                catch (RuntimeKeysUnavailableException)
                {
                    Context.Items[typeof(RuntimeKeysUnavailableException)] = true;
                    return AuthenticateResult.Fail("Runtime keys unavailable.");
                }
            }
        }

        if (matchedName is null)
        {
            failureLimit?.Failed(Context);
            return AuthenticateResult.Fail("Unknown API key.");
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, matchedName), new Claim(ClaimTypes.Role, Options.Role)], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[typeof(IAuthenticationFailureLimit)] is TimeSpan wait)
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            RetryAfter.Set(Response, wait);
            await TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many failed keys", detail: "Too many wrong keys from this address; retry after the time in Retry-After.").ExecuteAsync(Context);
            return;
        }

        if (Context.Items.ContainsKey(typeof(RuntimeKeysUnavailableException)))
        {
            // Not the client's fault, and not a verdict on its key: a 401 would make staff devices forget it.
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            RetryAfter.Set(Response, RetryAfter.Default);
            await TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Keys cannot be checked", detail: "The key store cannot be read right now; retry after the time in Retry-After.").ExecuteAsync(Context);
            return;
        }

        // One answer for missing, malformed and wrong keys: no hint about which part was wrong.
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized").ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden").ExecuteAsync(Context);
    }
}
