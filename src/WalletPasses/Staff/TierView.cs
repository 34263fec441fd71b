namespace WalletPasses.Staff;

public sealed record TierView(string Id, string Name);
