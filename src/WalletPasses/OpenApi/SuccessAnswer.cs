namespace WalletPasses.OpenApi;

/// <summary>
/// An answer the generator cannot read from the handler's return type (raw JSON, a file, a redirect): a JSON
/// <paramref name="Body"/>, or else bytes of <paramref name="ContentType"/>, or no content when that is null too.
/// </summary>
public sealed record SuccessAnswer(int Status, string Description, Type? Body = null, string? ContentType = null);
