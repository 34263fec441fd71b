namespace WalletPasses.Apple;

public sealed record DevelopmentCertificateFiles(string PassCertificate, string Wwdr, string Root, string BarcodeSigningKey);
