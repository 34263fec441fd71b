namespace WalletPasses.Functions;

/// <summary>Fails a queue invocation on purpose, so the host delivers the message again.</summary>
public sealed class LoyaltyEventRetryException(string messageId, long dequeueCount)
    : Exception($"Loyalty event message {messageId} failed on delivery {dequeueCount}; the host will deliver it again.");
