namespace WalletPasses.Apple;

/// <summary>A built, signed pass version.</summary>
public sealed record PassPackage(PkPassContent Content, long Version, DateTimeOffset LastModified, string FileName);
