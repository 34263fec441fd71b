namespace WalletPasses.OpenApi;

/// <summary>A 4xx/5xx problem-details answer of an operation and when it is given.</summary>
public sealed record ProblemAnswer(int Status, string Description);
