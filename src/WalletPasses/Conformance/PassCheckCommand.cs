using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace WalletPasses.Conformance;

/// <summary>
/// <c>check-pass some.pkpass [--root extra-root.pem]...</c>: the conformance rules, the manifest hashes, the signature, the
/// chain to Apple Root CA (embedded; <c>--root</c> adds roots, such as a development root) and the identifiers against the
/// signer, in plain language. Exit code 0 when the pass has no error, 1 otherwise (or when it cannot be read).
/// </summary>
public static class PassCheckCommand
{
    public const string Usage = "Usage: check-pass <file.pkpass> [--root <root-certificate.pem>]...";

    public static int Run(IReadOnlyList<string> args, TextWriter output, DateTimeOffset now)
    {
        string? file = null;
        var roots = new List<X509Certificate2> { AppleRootCertificate() };
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--root" && i + 1 < args.Count)
            {
                try
                {
                    roots.Add(X509Certificate2.CreateFromPem(File.ReadAllText(args[++i])));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
                {
                    output.WriteLine($"Cannot read the root certificate '{args[i]}': {e.Message}");
                    return 1;
                }
            }
            else if (file is null && !args[i].StartsWith("--", StringComparison.Ordinal))
            {
                file = args[i];
            }
            else
            {
                output.WriteLine(Usage);
                return 1;
            }
        }

        if (file is null)
        {
            output.WriteLine(Usage);
            return 1;
        }

        byte[] pkpass;
        try
        {
            pkpass = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            output.WriteLine($"Cannot read '{file}': {e.Message}");
            return 1;
        }

        var conformance = PassPackageConformance.Check(pkpass);
        var (verification, signer) = PassPackageVerification.Check(pkpass, roots, now);
        var report = ConformanceReport.Of(conformance.Problems.Concat(verification.Problems));
        Write(output, file, pkpass, signer, report);
        return report.HasErrors ? 1 : 0;
    }

    private static void Write(TextWriter output, string file, byte[] pkpass, PassSignerIdentity? signer, ConformanceReport report)
    {
        output.WriteLine($"Checking {Path.GetFileName(file)} ({Math.Max(1, pkpass.Length / 1024)} KB)");
        if (Describe(pkpass) is { } pass)
        {
            output.WriteLine("Pass: " + pass);
        }

        if (signer is not null)
        {
            output.WriteLine($"Signed by: {signer.Subject}{(signer.SigningTime is { } at ? $" on {at:yyyy-MM-dd HH:mm} UTC" : "")}; the certificate is valid until {signer.NotAfter:yyyy-MM-dd}.");
        }

        output.WriteLine();
        foreach (var problem in report.Problems)
        {
            output.WriteLine($"{(problem.Severity == ConformanceSeverity.Error ? "ERROR  " : "WARNING")} {problem.Path}");
            output.WriteLine($"        {problem.Message}");
            output.WriteLine($"        Fix: {problem.Fix}");
        }

        output.WriteLine(report.HasErrors
            ? $"Result: {Count(report.Errors, "error")} and {Count(report.Warnings, "warning")}. Wallet will not accept this pass until the errors are fixed."
            : report.Warnings > 0
                ? $"Result: no errors, {Count(report.Warnings, "warning")}. Wallet accepts this pass."
                : "Result: no problems found. Wallet accepts this pass.");
    }

    private static string? Describe(byte[] pkpass)
    {
        if (PassPackageFiles.Read(pkpass, out _) is not { } files || !files.TryGetValue(PassPackageFiles.PassJson, out var passJson))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(passJson);
            var pass = document.RootElement;
            if (pass.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            string Text(string key) => pass.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "?";
            var style = AppleImageRules.Styles.FirstOrDefault(s => pass.TryGetProperty(s, out _)) ?? "no style";
            return $"{style} of {Text("organizationName")}, pass type {Text("passTypeIdentifier")}, team {Text("teamIdentifier")}, serial number {Text("serialNumber")}";
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Count(int count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";

    /// <summary>Apple Root CA, embedded in the app (Security/Certificates/README.md has its source and fingerprint).</summary>
    public static X509Certificate2 AppleRootCertificate()
    {
        using var stream = typeof(PassCheckCommand).Assembly.GetManifestResourceStream("AppleRootCA.pem")!;
        using var reader = new StreamReader(stream);
        return X509Certificate2.CreateFromPem(reader.ReadToEnd());
    }
}
