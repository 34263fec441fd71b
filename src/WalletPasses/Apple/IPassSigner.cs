namespace WalletPasses.Apple;

public interface IPassSigner
{
    /// <summary>The detached CMS signature of manifest.json.</summary>
    byte[] Sign(byte[] manifest, DateTimeOffset signingTime);

    /// <summary>The signature by the certificate of <paramref name="passTypeIdentifier"/> (a signer of one certificate ignores it).</summary>
    byte[] Sign(byte[] manifest, DateTimeOffset signingTime, string passTypeIdentifier) => Sign(manifest, signingTime);
}
