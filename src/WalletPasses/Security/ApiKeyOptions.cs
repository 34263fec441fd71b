namespace WalletPasses.Security;

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

    /// <summary>
    /// Backend keys limited to some programs, <c>WalletPasses:ApiKeys:BackendPrograms:{name}:0..n</c> (the name of a
    /// <see cref="Backend"/> key): one brand's backend in a deployment of several brands. Keys not named here act for every program.
    /// </summary>
    public Dictionary<string, List<string>> BackendPrograms { get; init; } = [];

    public IReadOnlyDictionary<string, string> ForRole(string role) => role == ApiRoles.Backend ? Backend : Staff;
}
