using System.Text.Json;

namespace WalletPasses.Conformance;

/// <summary>
/// The conformance rules for any .pkpass, whoever made it: the files Apple requires, every file listed in the manifest,
/// pass.json (<see cref="PassJsonRules"/>) with every language's pass.strings, and the images (<see cref="AppleImageRules"/>).
/// Sources: Apple, "Building a Pass" (https://developer.apple.com/documentation/walletpasses/building-a-pass) and the
/// PassKit Package Format Reference, "Package Structure" (a pass holds pass.json, manifest.json, signature and icon.png;
/// "every file in the bundle appears in the manifest, except for the manifest itself and the signature"). Signature,
/// hashes and certificates are <see cref="PassPackageVerification"/>'s.
/// </summary>
public static class PassPackageConformance
{
    public static ConformanceReport Check(byte[] pkpass)
    {
        var problems = new ConformanceProblems();
        if (PassPackageFiles.Read(pkpass, out var error) is not { } files)
        {
            problems.Error("pkpass", $"The file is not a pass: {error}.", "A .pkpass is a zip of pass.json, images, manifest.json and signature at its root.");
            return problems.ToReport();
        }

        Check(files, pkpass.Length, problems);
        return problems.ToReport();
    }

    public static void Check(IReadOnlyDictionary<string, byte[]> files, long packageBytes, ConformanceProblems problems)
    {
        foreach (var required in new[] { PassPackageFiles.PassJson, PassPackageFiles.Manifest, PassPackageFiles.Signature })
        {
            if (!files.ContainsKey(required))
            {
                problems.Error(required, $"The pass has no {required} at the root of the zip; Wallet refuses it.", files.Keys.Any(name => name.EndsWith("/" + required, StringComparison.Ordinal))
                    ? $"{required} is inside a folder: zip the pass folder's contents, not the folder."
                    : $"Add {required}.");
            }
        }

        if (!files.Keys.Any(name => AppleImageRules.Parse(name) is (AppleImageRules.Icon, _)))
        {
            problems.Error("icon.png", "The pass has no icon.png; Wallet refuses a pass without its icon.", "Add icon.png (29×29), icon@2x.png and icon@3x.png.");
        }

        CheckManifestListing(files, problems);

        var strings = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (name, content) in files.Where(file => file.Key.EndsWith(".lproj/pass.strings", StringComparison.Ordinal)))
        {
            if (PassStrings.Parse(content, out var stringsError) is { } entries)
            {
                strings[name[..name.IndexOf(".lproj/", StringComparison.Ordinal)]] = entries;
            }
            else
            {
                problems.Error(name, $"The strings file cannot be read: {stringsError}.", "Write each line as \"key\" = \"text\"; in UTF-8 or UTF-16.");
            }
        }

        var style = "storeCard";
        var poster = false;
        if (files.TryGetValue(PassPackageFiles.PassJson, out var passJson))
        {
            try
            {
                using var document = JsonDocument.Parse(passJson);
                var pass = document.RootElement;
                style = pass.ValueKind == JsonValueKind.Object ? AppleImageRules.Styles.FirstOrDefault(s => pass.TryGetProperty(s, out _)) ?? style : style;
                poster = pass.ValueKind == JsonValueKind.Object && pass.TryGetProperty(PosterPassRules.Style, out _);
                PassJsonRules.Check(pass, strings, PassPaths.Package(style), problems);
            }
            catch (JsonException e)
            {
                problems.Error(PassPackageFiles.PassJson, $"pass.json is not valid JSON: {e.Message}", "Fix the JSON (a trailing comma or an unescaped quote is the usual cause).");
            }
        }

        foreach (var (name, content) in files)
        {
            // A poster pass carries the poster's images beside its fallback style's.
            var imageStyle = poster && AppleImageRules.Parse(name) is var (image, _) && !AppleImageRules.Shows(style, image) ? PosterPassRules.Style : style;
            AppleImageRules.Check(imageStyle, name, content, name, problems);
        }

        if (poster && !files.Keys.Any(name => AppleImageRules.Parse(name) is (AppleImageRules.Artwork, _)))
        {
            // HIG "Pass images": the poster background "is the visual centerpiece of a pass".
            problems.Warning("artwork.png", "The pass has the posterGeneric style but no artwork.png: the poster shows no artwork.", "Add artwork.png (358×448), artwork@2x.png and artwork@3x.png.");
        }

        if (packageBytes > TemplateConformance.PassSizeWarningBytes)
        {
            problems.Warning("pkpass", $"The pass is {packageBytes / 1024} KB; Wallet downloads all of it at every update.", $"Keep passes under {TemplateConformance.PassSizeWarningBytes / 1024} KB: compress the PNGs.");
        }
    }

    private static void CheckManifestListing(IReadOnlyDictionary<string, byte[]> files, ConformanceProblems problems)
    {
        if (!files.TryGetValue(PassPackageFiles.Manifest, out var manifestBytes))
        {
            return;
        }

        if (PassManifestFile.Parse(manifestBytes, out var manifestError) is not { } manifest)
        {
            problems.Error(PassPackageFiles.Manifest, $"manifest.json cannot be read: {manifestError}.", "Write manifest.json as one JSON object of file path to lowercase hex SHA-1.");
            return;
        }

        foreach (var name in files.Keys.Where(name => name is not PassPackageFiles.Manifest and not PassPackageFiles.Signature && !manifest.ContainsKey(name)))
        {
            problems.Error(name, "The file is in the pass but not in manifest.json; Wallet refuses the pass.", "List every file but manifest.json and signature in the manifest with its SHA-1, or remove the file (macOS adds __MACOSX/ and .DS_Store files when zipping).");
        }

        foreach (var name in manifest.Keys.Where(name => !files.ContainsKey(name)))
        {
            problems.Error(name, "manifest.json lists a file the pass does not have.", "Remove it from the manifest or add the file.");
        }
    }
}
