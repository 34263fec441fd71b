namespace WalletPasses.Activity;

/// <summary>What the <c>pass-activity</c> queue receives when a holder saves or removes a Google Wallet pass.</summary>
public sealed record GooglePassActivity(string Type, string Platform, string MemberId, string SerialNumber, string ObjectId, DateTimeOffset OccurredAt, string Id) : IPassActivity
{
    /// <summary>The member's program; <c>memberId</c> is the id that program's backend knows.</summary>
    public string? ProgramId { get; init; }
}
