namespace WalletPasses.Staff;

/// <summary>The body of <c>POST /api/staff-keys</c>; <c>programs</c> limits the key to those programs' passes (absent: every program).</summary>
public sealed record StaffKeyInput(string? Name, IReadOnlyList<string>? Programs = null);
