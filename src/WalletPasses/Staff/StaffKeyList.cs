namespace WalletPasses.Staff;

public sealed record StaffKeyList(IReadOnlyList<StaffKeyInfo> Keys);
