namespace WalletPasses.Google;

/// <summary>Source of Google's root signing keys (an interface so tests can supply their own root).</summary>
public interface ICallbackRootKeyProvider
{
    ValueTask<IReadOnlyList<CallbackRootKey>> GetRootKeysAsync(CancellationToken cancellationToken);
}
