namespace WalletPasses.Apple;

/// <summary>A pass registered on a device, with the member it belongs to.</summary>
public sealed record RegisteredPass(string SerialNumber, string MemberId);
