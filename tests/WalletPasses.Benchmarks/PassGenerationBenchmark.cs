using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using WalletPasses.Apple;
using WalletPasses.Templates;

namespace WalletPasses.Benchmarks;

/// <summary>
/// Pass generation on one thread (pass.json, manifest, CMS signature, zip) with a template of nine
/// incompressible PNGs totalling about 380 KB, next to the raw RSA-2048 PKCS#1 signing rate of the
/// same key on the same thread: signing is the floor no pass builder can beat.
/// </summary>
public static class PassGenerationBenchmark
{
    public static Task RunAsync(string[] args)
    {
        var defaults = DefaultTemplate.Template();
        var certificates = DevelopmentCertificates.Create(defaults.PassTypeIdentifier, defaults.TeamIdentifier);
        var folder = Directory.CreateTempSubdirectory("walletpasses-bench").FullName;
        var files = certificates.WriteTo(folder, "bench");
        using var passCertificates = PassCertificates.Load(
            new AppleOptions { CertificateFile = files.PassCertificate, CertificatePassword = "bench", WwdrCertificateFile = files.Wwdr }, TimeProvider.System);

        var images = BenchmarkImages(defaults);
        var assets = AppleTemplateAssets.Create(defaults, images);
        var builder = new PkPassBuilder(new PassSigner(passCertificates));
        var now = DateTimeOffset.UtcNow;
        var content = new PassContent
        {
            SerialNumber = "0123456789abcdef0123456789abcdef",
            AuthenticationToken = "bench-token-0123456789-0123456789-0123456789",
            WebServiceUrl = new Uri("https://wallet.example/api/passkit"),
            BarcodeMessage = "WP1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            DisplayName = "Jane Doe",
            Points = 0,
            TierId = "gold",
            ReferralUrl = "https://shop.example/r/JANE10",
        };

        // Points change per pass so every pass.json and signature is new work, as in production.
        long points = 0;
        var passSize = builder.Build(assets, content, now).Length;
        var key = passCertificates.InUse.SigningKey;
        var digestInput = RandomNumberGenerator.GetBytes(700);
        var (passesPerSecond, signaturesPerSecond, bytesPerPass) = Benchmark.Compare(
            () => builder.Build(assets, content with { Points = ++points }, now),
            () => key.SignData(digestInput, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        var templateBytes = assets.FilesFor(defaults.FindTier("gold")!).Where(f => f.Name.EndsWith(".png", StringComparison.Ordinal)).Sum(f => (long)f.Content.Length);
        var imageCount = assets.FilesFor(defaults.FindTier("gold")!).Count(f => f.Name.EndsWith(".png", StringComparison.Ordinal));
        Console.WriteLine("== Pass generation (one thread) ==");
        Console.WriteLine($"per pass: {imageCount} PNG images ({templateBytes / 1024} KB) + pass.json + 2 pass.strings; pass size {passSize / 1024} KB");
        Console.WriteLine($"RSA-2048 sign (same key, same thread):  {signaturesPerSecond,10:N0} /s   (reference)");
        Console.WriteLine($"signed .pkpass built:                   {passesPerSecond,10:N0} /s");
        Console.WriteLine($"ratio passes/signatures:                {passesPerSecond / signaturesPerSecond,10:N2}   (target >= 0.60)");
        Console.WriteLine($"allocated per pass:                     {bytesPerPass,10:N0} bytes (the pass itself is {passSize:N0})");
        Console.WriteLine("For comparison: dotnet-passbook is reported at ~96 passes/s on such a template (it recompresses and re-hashes every image per pass).");
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Noise PNGs (incompressible, like photos) sized so the nine images total about 380 KB.</summary>
    private static Dictionary<string, byte[]> BenchmarkImages(ProgramTemplate template)
    {
        var images = new Dictionary<string, byte[]>();
        (string Name, int Width, int Height)[] specs =
        [
            (template.Images.Icon, 29, 29), (template.Images.Icon + "@2x", 58, 58), (template.Images.Icon + "@3x", 87, 87),
            (template.Images.Logo, 80, 25), (template.Images.Logo + "@2x", 160, 50), (template.Images.Logo + "@3x", 240, 75),
        ];
        foreach (var (name, width, height) in specs)
        {
            images[name + ".png"] = NoisePng(width, height);
        }

        foreach (var tier in template.Tiers)
        {
            images[tier.Strip + ".png"] = NoisePng(125, 41);
            images[tier.Strip + "@2x.png"] = NoisePng(250, 82);
            images[tier.Strip + "@3x.png"] = NoisePng(360, 118);
        }

        return images;
    }

    private static byte[] NoisePng(int width, int height)
    {
        var raw = new byte[height * ((width * 3) + 1)];
        Random.Shared.NextBytes(raw);
        for (var row = 0; row < height; row++)
        {
            raw[row * ((width * 3) + 1)] = 0; // filter type: none
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // truecolour RGB
        WriteChunk(png, "IHDR", header);
        WriteChunk(png, "IDAT", compressed.ToArray());
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream png, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typeAndData = new byte[4 + data.Length];
        System.Text.Encoding.ASCII.GetBytes(type, typeAndData);
        data.CopyTo(typeAndData, 4);
        png.Write(typeAndData);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, System.IO.Hashing.Crc32.HashToUInt32(typeAndData));
        png.Write(crc);
    }
}
