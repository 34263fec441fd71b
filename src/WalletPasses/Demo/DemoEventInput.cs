namespace WalletPasses.Demo;

/// <summary>The body of <c>POST /api/demo/members/{memberId}/events</c>: points (with amount), tier, offer or withdraw.</summary>
public sealed record DemoEventInput(string? Type, long? Amount);
