namespace WalletPasses.Staff;

/// <summary>The body of <c>POST /api/staff-keys</c>.</summary>
public sealed record StaffKeyInput(string? Name);
