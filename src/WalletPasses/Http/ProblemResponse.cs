using Microsoft.AspNetCore.Http.HttpResults;

namespace WalletPasses.Http;

/// <summary>A problem answer to a body that could not be read.</summary>
public sealed record ProblemResponse(ProblemHttpResult Result);
