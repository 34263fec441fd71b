namespace WalletPasses.Staff;

/// <summary>A new staff key: the only time the key is ever shown.</summary>
public sealed record CreatedStaffKey(string Name, string Key, DateTimeOffset CreatedAt, IReadOnlyList<string>? Programs = null);
