namespace WalletPasses.Security;

/// <summary>Runtime keys cannot be read and the last ones read are too old to trust (a revocation may be missing): 503, not 401.</summary>
public sealed class RuntimeKeysUnavailableException() : Exception("Runtime API keys cannot be read.");
