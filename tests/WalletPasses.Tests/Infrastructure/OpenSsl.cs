using System.Diagnostics;

namespace WalletPasses.Tests.Infrastructure;

/// <summary>The independent check anyone can run on a pass: <c>openssl cms -verify</c>.</summary>
public static class OpenSsl
{
    public static (int ExitCode, string Output) VerifyDetachedSignature(byte[] signature, byte[] content, string caPem)
    {
        var folder = TestCertificates.NewFolder();
        var signaturePath = Path.Combine(folder, "signature");
        var contentPath = Path.Combine(folder, "manifest.json");
        var caPath = Path.Combine(folder, "ca.pem");
        File.WriteAllBytes(signaturePath, signature);
        File.WriteAllBytes(contentPath, content);
        File.WriteAllText(caPath, caPem);
        return Run("cms", "-verify", "-binary", "-inform", "DER", "-in", signaturePath, "-content", contentPath, "-CAfile", caPath, "-purpose", "any", "-out", "/dev/null");
    }

    public static (int ExitCode, string Output) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error.Result);
    }
}
