namespace WalletPasses.Staff;

/// <summary>One page of voided serials and the cursor for the next (the same cursor when nothing is new).</summary>
public sealed record VoidedPage(IReadOnlyList<string> Serials, string Next);
