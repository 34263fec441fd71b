namespace WalletPasses.OpenApi;

/// <summary>An optional request header an operation reads, declared as a header parameter of its operation.</summary>
public sealed record HeaderParameter(string Name, string Description);
