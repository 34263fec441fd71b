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
}
