namespace WalletPasses.Tests.Functions;

/// <summary>What an HTTP function answered: status, content type and body.</summary>
public sealed record FunctionResponse(int StatusCode, string? ContentType, string Body);
