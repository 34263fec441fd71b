using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using WalletPasses.Apple.Apns;

namespace WalletPasses.Apple;

/// <summary>
/// In Production, Apple settings that only make sense on a developer machine are refused: the development
/// <c>.p12</c> password of the example settings, and certificates not issued by Apple's WWDR under Apple Root CA
/// (the ones <c>init-dev</c> makes: Wallet on real iPhones rejects passes signed with them), and Apple's APNs sandbox.
/// </summary>
public sealed class AppleProductionOptionsValidator(IHostEnvironment environment, PassCertificateLoader loader) : IValidateOptions<AppleOptions>
{
    /// <summary>The password local.settings.example.json documents for the development certificate.</summary>
    public const string DevelopmentPassword = "dev-password";

    private static readonly Lazy<X509Certificate2> AppleRoot = new(() =>
    {
        using var stream = typeof(AppleProductionOptionsValidator).Assembly.GetManifestResourceStream("AppleRootCA.pem")!;
        using var reader = new StreamReader(stream);
        return X509Certificate2.CreateFromPem(reader.ReadToEnd());
    });

    /// <summary>Apple Inc.'s root certificate, embedded (see Security/Certificates/README.md).</summary>
    public static X509Certificate2 AppleRootCertificate => AppleRoot.Value;

    public ValidateOptionsResult Validate(string? name, AppleOptions options)
    {
        if (!environment.IsProduction())
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (options.CertificatePassword == DevelopmentPassword)
        {
            failures.Add("WalletPasses:Apple:CertificatePassword is the development password from the example settings: in Production use your Pass Type ID certificate from developer.apple.com with its own password.");
        }

        // Apple's BadDeviceToken: "Verify that the request contains a valid token and that the token matches the
        // environment". Wallet registers production tokens only, so the sandbox answers every push BadDeviceToken and
        // each answer removes a registration, which the device does not make again: the devices never update.
        if (string.Equals(options.ApnsBaseUrl?.Host, ApnsClient.SandboxHost, StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"WalletPasses:Apple:ApnsBaseUrl is Apple's sandbox ({options.ApnsBaseUrl}): Wallet pass updates go through production APNs only, and the sandbox answers every device token BadDeviceToken, which removes its registration: in Production use https://api.push.apple.com.");
        }

        var (certificates, _) = loader.Load(options); // load errors are reported by AppleOptionsValidator
        if (certificates is not null && !certificates.All.All(c => IsIssuedByApple(c.Certificate, certificates.Wwdr, AppleRootCertificate)))
        {
            failures.Add(
                "The pass certificate (WalletPasses:Apple:CertificateFile or CertificateBase64, or the NextCertificate one) is not issued by Apple's WWDR under Apple Root CA, "
                + "so Wallet on real devices refuses its passes (the certificates 'init-dev' creates are for development only): in Production configure "
                + "your Pass Type ID certificate from developer.apple.com and Apple's WWDR G4 certificate (WalletPasses:Apple:WwdrCertificateFile).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Whether <paramref name="pass"/> chains through <paramref name="wwdr"/> to <paramref name="root"/> (and nothing else).</summary>
    public static bool IsIssuedByApple(X509Certificate2 pass, X509Certificate2 wwdr, X509Certificate2 root)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.ExtraStore.Add(wwdr);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // issuance only; expiry is AppleOptionsValidator's
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
        return chain.Build(pass)
            && chain.ChainElements.Count == 3
            && chain.ChainElements[1].Certificate.RawDataMemory.Span.SequenceEqual(wwdr.RawDataMemory.Span)
            && chain.ChainElements[2].Certificate.RawDataMemory.Span.SequenceEqual(root.RawDataMemory.Span);
    }
}
