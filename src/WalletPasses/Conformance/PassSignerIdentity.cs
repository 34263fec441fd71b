namespace WalletPasses.Conformance;

/// <summary>Who signed a .pkpass: the certificate's subject, its UID (pass type identifier) and OU (team), expiry, and the signing time.</summary>
public sealed record PassSignerIdentity(string Subject, string? PassTypeIdentifier, string? TeamIdentifier, DateTimeOffset NotAfter, DateTimeOffset? SigningTime);
