namespace WalletPasses.Tests.Functions;

/// <summary>What an HTTP function answered: status, content type, body and the <c>Allow</c> header (null when absent).</summary>
public sealed record FunctionResponse(int StatusCode, string? ContentType, string Body, string? Allow = null);
