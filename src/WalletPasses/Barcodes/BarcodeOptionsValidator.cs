using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace WalletPasses.Barcodes;

public sealed class BarcodeOptionsValidator : IValidateOptions<BarcodeOptions>
{
    public ValidateOptionsResult Validate(string? name, BarcodeOptions options)
    {
        if (options.ReissueAfter < TimeSpan.Zero || options.ReissueAfter > TimeSpan.FromDays(365))
        {
            return ValidateOptionsResult.Fail("WalletPasses:Barcode:ReissueAfter must be between 00:00:00 (a new barcode with every pass version) and 365.00:00:00.");
        }

        var pem = options.SigningKeyPem;
        if (string.IsNullOrWhiteSpace(pem))
        {
            if (string.IsNullOrWhiteSpace(options.SigningKeyFile))
            {
                return ValidateOptionsResult.Fail("WalletPasses:Barcode:SigningKeyFile (or SigningKeyPem) is not set: passes need a P-256 key to sign their barcodes. Create one with: openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -out barcode-signing-key.pem");
            }

            if (!File.Exists(options.SigningKeyFile))
            {
                return ValidateOptionsResult.Fail($"WalletPasses:Barcode:SigningKeyFile: no file at '{Path.GetFullPath(options.SigningKeyFile)}'.");
            }

            pem = File.ReadAllText(options.SigningKeyFile);
        }

        try
        {
            using var key = ECDsa.Create();
            key.ImportFromPem(pem);
            if (!AcceptedBarcodeKeys.IsP256(key))
            {
                return ValidateOptionsResult.Fail("WalletPasses:Barcode: the signing key must be an ECDSA P-256 (prime256v1) key.");
            }
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return ValidateOptionsResult.Fail("WalletPasses:Barcode: the signing key is not a PEM ECDSA private key.");
        }

        var (accepted, error) = AcceptedBarcodeKeys.Read(options);
        foreach (var key in accepted)
        {
            key.Dispose();
        }

        return error is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(error);
    }
}
