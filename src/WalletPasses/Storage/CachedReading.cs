namespace WalletPasses.Storage;

/// <summary>
/// A value read from storage and when, held by reference so that a request reading the cache while another replaces
/// it sees one whole reading (a nullable tuple field can be read half-written).
/// </summary>
public sealed record CachedReading<T>(T Value, DateTimeOffset ReadAt);
