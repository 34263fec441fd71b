namespace WalletPasses.Staff;

/// <summary>A staff key as listed: never the key itself.</summary>
public sealed record StaffKeyInfo(string Name, string Source, DateTimeOffset? CreatedAt, DateTimeOffset? RevokedAt)
{
    public const string FromSettings = "settings";
    public const string FromApi = "api";

    /// <summary>The programs the key is limited to; null (not listed): every program.</summary>
    public IReadOnlyList<string>? Programs { get; init; }
}
