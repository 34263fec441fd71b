using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace WalletPasses.Security;

/// <summary>The two roles that call the API with bearer keys: loyalty backends and store staff.</summary>
public static class ApiRoles
{
    public const string Backend = "backend";
    public const string Staff = "staff";
}

/// <summary>
/// Configured API keys by role, <c>WalletPasses:ApiKeys:{Backend|Staff}:{name}</c>. A value is either the
/// key itself or <c>sha256:&lt;hex&gt;</c> of it, so production settings need not hold keys in clear.
/// </summary>
public sealed class ApiKeyOptions
{
    public const string Section = "WalletPasses:ApiKeys";

    /// <summary>Development-only keys from the example settings; refused outside Development, in either form.</summary>
    public static readonly IReadOnlySet<string> DevelopmentKeys = new HashSet<string>(StringComparer.Ordinal) { "dev-backend-key", "dev-staff-key" };

    /// <summary>Configured keys in clear are at least this long in Production.</summary>
    public const int ProductionMinimumKeyLength = 32;

    /// <summary>Whether a configured value (the key or its <c>sha256:</c> form) is a development-only key.</summary>
    public static bool IsDevelopmentKey(string configured) =>
        ApiKeyHash.TryParseConfigured(configured, out var hash)
        && DevelopmentKeys.Any(key => ApiKeyHash.Of(key).AsSpan().SequenceEqual(hash));

    public Dictionary<string, string> Backend { get; init; } = [];

    public Dictionary<string, string> Staff { get; init; } = [];

    public IReadOnlyDictionary<string, string> ForRole(string role) => role == ApiRoles.Backend ? Backend : Staff;
}

public sealed class ApiKeyOptionsValidator(IHostEnvironment environment) : IValidateOptions<ApiKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options)
    {
        var failures = new List<string>();
        foreach (var (role, keys) in new[] { ("Backend", options.Backend), ("Staff", options.Staff) })
        {
            foreach (var (keyName, value) in keys)
            {
                if (!ApiKeyHash.TryParseConfigured(value, out _))
                {
                    failures.Add($"WalletPasses:ApiKeys:{role}:{keyName} must be a key of at least {ApiKeyHash.MinimumKeyLength} characters or 'sha256:' followed by 64 hex digits.");
                }
                else if (!environment.IsDevelopment() && ApiKeyOptions.IsDevelopmentKey(value))
                {
                    failures.Add($"WalletPasses:ApiKeys:{role}:{keyName} is a development-only key; configure a real key outside the Development environment.");
                }
                else if (environment.IsProduction() && !ApiKeyHash.IsHashForm(value) && value.Length < ApiKeyOptions.ProductionMinimumKeyLength)
                {
                    failures.Add($"WalletPasses:ApiKeys:{role}:{keyName} is shorter than {ApiKeyOptions.ProductionMinimumKeyLength} characters: in Production use a random key of at least {ApiKeyOptions.ProductionMinimumKeyLength} characters ({SecretStrength.Advice}).");
                }
                else if (environment.IsProduction() && !ApiKeyHash.IsHashForm(value) && SecretStrength.IsWeak(value))
                {
                    failures.Add($"WalletPasses:ApiKeys:{role}:{keyName} is too predictable (too few different characters): in Production use a random key ({SecretStrength.Advice}).");
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Keys are compared as SHA-256 hashes in constant time, so neither timing nor storage reveals them.</summary>
public static class ApiKeyHash
{
    public const int MinimumKeyLength = 12;
    private const string HashPrefix = "sha256:";

    public static byte[] Of(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public static bool IsHashForm(string configured) => configured.StartsWith(HashPrefix, StringComparison.OrdinalIgnoreCase);

    public static bool TryParseConfigured(string configured, out byte[] hash)
    {
        if (IsHashForm(configured))
        {
            var hex = configured[HashPrefix.Length..];
            if (hex.Length == 64 && hex.All(Uri.IsHexDigit))
            {
                hash = Convert.FromHexString(hex);
                return true;
            }
        }
        else if (configured.Length >= MinimumKeyLength)
        {
            hash = Of(configured);
            return true;
        }

        hash = [];
        return false;
    }
}

public sealed class ApiKeySchemeOptions : AuthenticationSchemeOptions
{
    public string Role { get; set; } = ApiRoles.Backend;
}

/// <summary>
/// Keys of a role managed at runtime (in storage) besides the configured ones, for example staff keys
/// created through the API. Implementations compare hashes in constant time and answer from memory.
/// </summary>
public interface IRuntimeApiKeys
{
    string Role { get; }

    /// <summary>The name of the active key with this SHA-256 hash, or null; throws <see cref="RuntimeKeysUnavailableException"/> when the keys cannot be trusted.</summary>
    ValueTask<string?> FindAsync(byte[] presentedHash, CancellationToken cancellationToken);
}

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
            if (matchedName is null && source.Role == Options.Role)
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
            Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many failed keys", detail: "Too many wrong keys from this address; retry after the time in Retry-After.").ExecuteAsync(Context);
            return;
        }

        if (Context.Items.ContainsKey(typeof(RuntimeKeysUnavailableException)))
        {
            // Not the client's fault, and not a verdict on its key: a 401 would make staff devices forget it.
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            Response.Headers.RetryAfter = "30";
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

public static class ApiKeyAuthentication
{
    public const string BackendPolicy = "backend";
    public const string StaffPolicy = "staff";
    private const string BackendScheme = "BackendKey";
    private const string StaffScheme = "StaffKey";

    public static IServiceCollection AddApiKeyAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiKeyOptions>().Bind(configuration.GetSection(ApiKeyOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiKeyOptions>, ApiKeyOptionsValidator>();

        services.AddAuthentication()
            .AddScheme<ApiKeySchemeOptions, ApiKeyAuthenticationHandler>(BackendScheme, o => o.Role = ApiRoles.Backend)
            .AddScheme<ApiKeySchemeOptions, ApiKeyAuthenticationHandler>(StaffScheme, o => o.Role = ApiRoles.Staff);

        // Each role's routes accept only that role's scheme: a staff key on a backend route is simply unknown (401).
        services.AddAuthorizationBuilder()
            .AddPolicy(BackendPolicy, p => p.AddAuthenticationSchemes(BackendScheme).RequireAuthenticatedUser().RequireRole(ApiRoles.Backend))
            .AddPolicy(StaffPolicy, p => p.AddAuthenticationSchemes(StaffScheme).RequireAuthenticatedUser().RequireRole(ApiRoles.Staff));
        return services;
    }
}
