namespace WalletPasses.Apple;

/// <summary>Assembles a signed .pkpass: pass.json + template files, manifest.json, signature, stored zip.</summary>
public sealed class PkPassBuilder(IPassSigner signer)
{
    public const string ContentType = "application/vnd.apple.pkpass";

    public PkPassContent Build(AppleTemplateAssets assets, PassContent content, DateTimeOffset signingTime)
    {
        var tier = assets.Template.FindTier(content.TierId) ?? assets.Template.Tiers[0];
        var templateFiles = assets.FilesFor(tier);
        var files = new List<PassFile>(templateFiles.Count + 3)
        {
            PassFile.Create("pass.json", PassJsonBuilder.Build(assets.Template, tier, content)),
        };
        files.AddRange(templateFiles);
        var manifest = PassManifest.Build(files);
        files.Add(PassFile.Unlisted("manifest.json", manifest));
        files.Add(PassFile.Unlisted("signature", signer.Sign(manifest, signingTime, assets.Template.PassTypeIdentifier)));
        var zip = StoredZip.Write(files, signingTime);
        return new PkPassContent(zip.Segments) { OwnBytes = zip.OwnBytes + files[0].Content.Length + manifest.Length + files[^1].Content.Length };
    }
}
