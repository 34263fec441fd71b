using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace WalletPasses.Conformance;

/// <summary>
/// Checks what makes a pass authentic, as Apple's "Building a Pass" (https://developer.apple.com/documentation/walletpasses/building-a-pass)
/// describes signing it: manifest.json lists the SHA-1 of every file; <c>signature</c> is a detached PKCS #7 signature of
/// manifest.json by the Pass Type ID certificate, with Apple's WWDR intermediate certificate included; the certificate's
/// UID is the pass type identifier and its OU the team identifier, which pass.json must repeat. Works on any generator's pass.
/// </summary>
public static class PassPackageVerification
{
    private const string UidOid = "0.9.2342.19200300.100.1.1";
    private const string OrganizationalUnitOid = "2.5.4.11";
    private const string SigningTimeOid = "1.2.840.113549.1.9.5";

    /// <param name="trustedRoots">The roots the chain must end at: Apple Root CA for real passes, a development root for test passes.</param>
    public static (ConformanceReport Report, PassSignerIdentity? Signer) Check(byte[] pkpass, IReadOnlyCollection<X509Certificate2> trustedRoots, DateTimeOffset now)
    {
        var problems = new ConformanceProblems();
        if (PassPackageFiles.Read(pkpass, out var error) is not { } files)
        {
            problems.Error("pkpass", $"The file is not a pass: {error}.", "A .pkpass is a zip of pass.json, images, manifest.json and signature at its root.");
            return (problems.ToReport(), null);
        }

        CheckHashes(files, problems);
        var signer = CheckSignature(files, trustedRoots, now, problems);
        return (problems.ToReport(), signer);
    }

    private static void CheckHashes(IReadOnlyDictionary<string, byte[]> files, ConformanceProblems problems)
    {
        if (!files.TryGetValue(PassPackageFiles.Manifest, out var manifestBytes) || PassManifestFile.Parse(manifestBytes, out _) is not { } manifest)
        {
            return; // reported by PassPackageConformance
        }

        foreach (var (name, listed) in manifest)
        {
            if (!files.TryGetValue(name, out var content))
            {
                continue; // reported by PassPackageConformance
            }

#pragma warning disable CA5350 // Apple's manifest format is defined with SHA-1.
            var actual = Convert.ToHexStringLower(SHA1.HashData(content));
#pragma warning restore CA5350
            if (!string.Equals(actual, listed, StringComparison.OrdinalIgnoreCase))
            {
                problems.Error(name, $"The file's SHA-1 is {actual} but manifest.json lists {listed}: the file was changed after the pass was built; Wallet refuses the pass.", "Rebuild the manifest and signature from the files as they are (or restore the original file).");
            }
        }
    }

    private static PassSignerIdentity? CheckSignature(IReadOnlyDictionary<string, byte[]> files, IReadOnlyCollection<X509Certificate2> trustedRoots, DateTimeOffset now, ConformanceProblems problems)
    {
        if (!files.TryGetValue(PassPackageFiles.Manifest, out var manifest) || !files.TryGetValue(PassPackageFiles.Signature, out var signature))
        {
            return null; // reported by PassPackageConformance
        }

        var cms = new SignedCms(new ContentInfo(manifest), detached: true);
        try
        {
            cms.Decode(signature);
        }
        catch (CryptographicException e)
        {
            problems.Error(PassPackageFiles.Signature, $"The signature is not a PKCS #7 (CMS) signature: {e.Message}", "Sign manifest.json with the Pass Type ID certificate as a detached PKCS #7 signature in DER.");
            return null;
        }

        if (cms.SignerInfos.Count != 1 || cms.SignerInfos[0].Certificate is not { } certificate)
        {
            problems.Error(PassPackageFiles.Signature, "The signature does not carry exactly one signer with its certificate.", "Sign with the Pass Type ID certificate and include it in the signature.");
            return null;
        }

        try
        {
            cms.CheckSignature(verifySignatureOnly: true);
        }
        catch (CryptographicException e)
        {
            problems.Error(PassPackageFiles.Signature, $"The signature does not match manifest.json ({e.Message}): the manifest was changed after signing, or the signature is of another manifest.", "Sign the manifest.json that is in the pass.");
        }

        var signingTime = SigningTime(cms.SignerInfos[0]);
        var passSigner = new PassSignerIdentity(certificate.Subject, NameValue(certificate, UidOid), NameValue(certificate, OrganizationalUnitOid), certificate.NotAfter.ToUniversalTime(), signingTime);
        CheckChain(certificate, cms.Certificates, trustedRoots, signingTime ?? now, problems);

        if (now > passSigner.NotAfter)
        {
            problems.Warning(PassPackageFiles.Signature, $"The signing certificate expired on {passSigner.NotAfter:yyyy-MM-dd}: passes already in Wallet keep working but cannot be updated, and new passes must be signed with a renewed certificate.", "Renew the Pass Type ID certificate in Apple's developer portal and sign with the new one.");
        }

        CheckIdentifiers(files, passSigner, problems);
        return passSigner;
    }

    private static void CheckChain(X509Certificate2 certificate, X509Certificate2Collection included, IReadOnlyCollection<X509Certificate2> trustedRoots, DateTimeOffset at, ConformanceProblems problems)
    {
        // Apple: include the WWDR intermediate certificate in the signature; Wallet does not fetch it.
        if (!included.Any(candidate => candidate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData) && !candidate.RawData.AsSpan().SequenceEqual(certificate.RawData)))
        {
            problems.Error(PassPackageFiles.Signature, $"The signature does not include the certificate that issued the signer ({certificate.Issuer}); Apple requires the WWDR intermediate in it.", "Add Apple's WWDR (G4) certificate to the signature's certificates.");
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trustedRoots.ToArray());
        chain.ChainPolicy.ExtraStore.AddRange(included);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        if (!chain.Build(certificate))
        {
            var reasons = string.Join("; ", chain.ChainStatus.Select(status => status.StatusInformation.Trim()).Where(text => text.Length > 0).Distinct());
            problems.Error(PassPackageFiles.Signature, $"The signing certificate ({certificate.Subject}) does not chain to a trusted root through Apple's WWDR certificate: {reasons}", "Sign with a Pass Type ID certificate from Apple's developer portal and include Apple's WWDR (G4) certificate (for development passes, pass your development root with --root).");
        }
    }

    private static void CheckIdentifiers(IReadOnlyDictionary<string, byte[]> files, PassSignerIdentity signer, ConformanceProblems problems)
    {
        if (!files.TryGetValue(PassPackageFiles.PassJson, out var passJson))
        {
            return;
        }

        string? PassValue(JsonElement pass, string key) => pass.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        try
        {
            using var document = JsonDocument.Parse(passJson);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            var passType = PassValue(document.RootElement, "passTypeIdentifier");
            var team = PassValue(document.RootElement, "teamIdentifier");
            if (signer.PassTypeIdentifier is null || signer.TeamIdentifier is null)
            {
                problems.Error(PassPackageFiles.Signature, "The signing certificate has no UID or OU: it is not a Pass Type ID certificate.", "Sign with the Pass Type ID certificate from Apple's developer portal.");
                return;
            }

            if (passType != signer.PassTypeIdentifier)
            {
                problems.Error("pass.json:passTypeIdentifier", $"pass.json says passTypeIdentifier '{passType}' but the pass is signed with the certificate of '{signer.PassTypeIdentifier}'; Wallet refuses it.", $"Set passTypeIdentifier to '{signer.PassTypeIdentifier}', or sign with the certificate of '{passType}'.");
            }

            if (team != signer.TeamIdentifier)
            {
                problems.Error("pass.json:teamIdentifier", $"pass.json says teamIdentifier '{team}' but the signing certificate belongs to team '{signer.TeamIdentifier}'; Wallet refuses it.", $"Set teamIdentifier to '{signer.TeamIdentifier}'.");
            }
        }
        catch (JsonException)
        {
            // reported by PassPackageConformance
        }
    }

    private static string? NameValue(X509Certificate2 certificate, string oid) =>
        certificate.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(name => !name.HasMultipleElements && name.GetSingleElementType().Value == oid)
            .Select(name => name.GetSingleElementValue())
            .FirstOrDefault();

    private static DateTimeOffset? SigningTime(SignerInfo signer)
    {
        foreach (var attribute in signer.SignedAttributes)
        {
            if (attribute.Oid.Value == SigningTimeOid && attribute.Values.Count > 0)
            {
                try
                {
                    return new Pkcs9SigningTime(attribute.Values[0].RawData).SigningTime;
                }
                catch (CryptographicException)
                {
                    return null;
                }
            }
        }

        return null;
    }
}
