namespace WalletPasses.Activity;

/// <summary>What the <c>pass-activity</c> queue receives when a holder saves or removes a Google Wallet pass.</summary>
public sealed record GooglePassActivity(string Type, string Platform, string MemberId, string SerialNumber, string ObjectId, DateTimeOffset OccurredAt, string Id) : IPassActivity;
