namespace WalletPasses.Apple;

/// <summary>Signs each pass with the certificate of its pass type (<see cref="ProgramCertificates"/>); the main certificate otherwise.</summary>
public sealed class ProgramPassSigner(ProgramCertificates certificates) : IPassSigner
{
    private readonly PassSigner _main = new(certificates.Main);
    private readonly Dictionary<string, PassSigner> _byPassType = certificates.PassTypeIdentifiers
        .Where(passType => certificates.For(passType) != certificates.Main)
        .ToDictionary(passType => passType, passType => new PassSigner(certificates.For(passType)!), StringComparer.Ordinal);

    public byte[] Sign(byte[] manifest, DateTimeOffset signingTime) => _main.Sign(manifest, signingTime);

    public byte[] Sign(byte[] manifest, DateTimeOffset signingTime, string passTypeIdentifier) =>
        (_byPassType.GetValueOrDefault(passTypeIdentifier) ?? _main).Sign(manifest, signingTime);
}
