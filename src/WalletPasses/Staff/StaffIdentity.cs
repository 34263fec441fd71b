namespace WalletPasses.Staff;

public sealed record StaffIdentity(string Name);
