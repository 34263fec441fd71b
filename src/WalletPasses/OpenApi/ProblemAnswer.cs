namespace WalletPasses.OpenApi;

/// <summary>
/// A 4xx/5xx problem-details answer of an operation and when it is given. <paramref name="Members"/> is the type of the
/// extension members (RFC 9457 section 3.2) this problem carries beyond the standard ones, when it has any: the
/// document declares the answer as problem details together with that type's properties.
/// </summary>
public sealed record ProblemAnswer(int Status, string Description, Type? Members = null);
