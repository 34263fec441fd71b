namespace WalletPasses.Delivery;

/// <summary>The last complete device census: when it started and completed, and its counts.</summary>
public sealed record DeviceCensusHealth(DateTimeOffset? StartedAt, DateTimeOffset CompletedAt, DeviceCensusCounts Counts);
