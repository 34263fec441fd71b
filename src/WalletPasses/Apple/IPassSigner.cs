namespace WalletPasses.Apple;

public interface IPassSigner
{
    /// <summary>The detached CMS signature of manifest.json.</summary>
    byte[] Sign(byte[] manifest, DateTimeOffset signingTime);
}
