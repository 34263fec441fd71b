using WalletPasses.Apple;
using WalletPasses.Barcodes;
using WalletPasses.Templates;

namespace WalletPasses.Hosting;

/// <summary>
/// <c>WalletPasses init-dev</c>: creates development signing certificates and the barcode key at the
/// configured paths when none exist yet, so a fresh clone runs without Apple's real certificates.
/// </summary>
public static class DevelopmentSetup
{
    public const string Command = "init-dev";

    public static int Run(IConfiguration configuration)
    {
        var apple = configuration.GetSection(AppleOptions.Section).Get<AppleOptions>() ?? new AppleOptions();
        var barcode = configuration.GetSection(BarcodeOptions.Section).Get<BarcodeOptions>() ?? new BarcodeOptions();
        if (apple.CertificateFile is null || apple.WwdrCertificateFile is null || barcode.SigningKeyFile is null)
        {
            Console.Error.WriteLine("init-dev: set WalletPasses__Apple__CertificateFile, WalletPasses__Apple__WwdrCertificateFile and WalletPasses__Barcode__SigningKeyFile (see local.settings.example.json).");
            return 2;
        }

        if (File.Exists(apple.CertificateFile) && File.Exists(apple.WwdrCertificateFile) && File.Exists(barcode.SigningKeyFile))
        {
            Console.WriteLine("init-dev: development certificates already present.");
            return 0;
        }

        var template = DefaultTemplate.Template();
        var certificates = DevelopmentCertificates.Create(template.PassTypeIdentifier, template.TeamIdentifier);
        var folder = Path.GetDirectoryName(Path.GetFullPath(apple.CertificateFile))!;
        var files = certificates.WriteTo(folder, apple.CertificatePassword ?? "");
        MoveIfNeeded(files.Wwdr, apple.WwdrCertificateFile);
        MoveIfNeeded(files.BarcodeSigningKey, barcode.SigningKeyFile);
        MoveIfNeeded(files.PassCertificate, apple.CertificateFile);
        Console.WriteLine($"init-dev: created development certificates for {template.PassTypeIdentifier} in {folder} (root CA: {files.Root}).");
        return 0;
    }

    private static void MoveIfNeeded(string written, string configured)
    {
        if (Path.GetFullPath(written) != Path.GetFullPath(configured))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(configured))!);
            File.Move(written, configured, overwrite: true);
        }
    }
}
