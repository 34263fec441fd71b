namespace WalletPasses.Security;

/// <summary>
/// Keys of a role managed at runtime (in storage) besides the configured ones, for example staff keys
/// created through the API. Implementations compare hashes in constant time and answer from memory.
/// </summary>
public interface IRuntimeApiKeys
{
    string Role { get; }

    /// <summary>The name of the active key with this SHA-256 hash, or null; throws <see cref="RuntimeKeysUnavailableException"/> when the keys cannot be trusted.</summary>
    ValueTask<string?> FindAsync(byte[] presentedHash, CancellationToken cancellationToken);

    /// <summary>
    /// Whether a runtime key already has the name of configured key <paramref name="configuredName"/>: the configured key
    /// then yields (it does not authenticate), since a name is one identity (rate limit, audit, revocation) and two keys
    /// sharing it would act as one.
    /// </summary>
    ValueTask<bool> ClaimsNameAsync(string configuredName, CancellationToken cancellationToken);
}
