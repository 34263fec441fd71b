namespace WalletPasses.Apple.Apns;

/// <summary>One token's result from <see cref="IApnsClient.PushManyAsync"/>.</summary>
public sealed record ApnsPushOutcome(string PushToken, ApnsPushResult Result);
