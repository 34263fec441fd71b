namespace WalletPasses.Publishing;

/// <summary>Limits on an uploaded template zip (<see cref="PublishingOptions"/>).</summary>
public sealed record TemplateZipLimits(long MaxZipBytes, int MaxEntries, long MaxUncompressedBytes);
