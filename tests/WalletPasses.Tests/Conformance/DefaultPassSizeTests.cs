namespace WalletPasses.Tests.Conformance;

/// <summary>
/// The development template's pass is a download every holder makes again at each update (Apple's PassKit web service
/// reference: after a push the device fetches the whole .pkpass), often on a mobile network. Its images are palette PNGs
/// (see Templates/Default/images/README.md); as 8-bit RGB PNGs the gold pass was 267 KB. Their pixel sizes, which Apple
/// documents, are checked by <see cref="TemplateConformanceTests"/>.
/// </summary>
public sealed class DefaultPassSizeTests
{
    private const int MaxPassBytes = 160 * 1024;

    [Fact]
    public void A_pass_from_the_development_template_stays_under_160_KB()
    {
        var pass = PassPackages.Ours();

        Assert.True(pass.Length <= MaxPassBytes, $"The gold pass is {pass.Length / 1024} KB: {string.Join(", ", PassPackages.Files(pass).OrderByDescending(f => f.Value.Length).Take(5).Select(f => $"{f.Key} {f.Value.Length / 1024} KB"))}.");
    }
}
