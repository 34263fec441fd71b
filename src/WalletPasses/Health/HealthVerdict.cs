namespace WalletPasses.Health;

/// <summary>The verdict on the facts <c>GET /api/health</c> gathered: the status and what to fix, worst first.</summary>
public sealed record HealthVerdict(string Status, IReadOnlyList<string> Reasons);
