using System.IO.Compression;
using System.Text;
using WalletPasses.Publishing;
using WalletPasses.Templates;

namespace WalletPasses.Tests.Publishing;

/// <summary>The template zip reader refuses every archive that is not exactly template.json and images/*.png within the caps.</summary>
public sealed class TemplateZipTests
{
    private static readonly TemplateZipLimits Limits = new(MaxZipBytes: 5 * 1024 * 1024, MaxEntries: 50, MaxUncompressedBytes: 10 * 1024 * 1024);

    private static Dictionary<string, byte[]> DefaultEntries() =>
        DefaultTemplate.Files().ToDictionary(f => f.Name, f => f.Content);

    [Fact]
    public void The_default_template_round_trips()
    {
        var (package, problem) = TemplateZip.Read(TemplateZips.Zip(DefaultEntries()), Limits);

        Assert.Null(problem);
        Assert.Equal(DefaultTemplate.Template().ProgramName, package!.Template.ProgramName);
        Assert.Equal(DefaultTemplate.Images().Keys.Order(), package.Images.Keys.Order());
        var (again, _) = TemplateZip.Read(TemplateZip.Write(package), Limits);
        Assert.Equal(package.TemplateJson, again!.TemplateJson);
        Assert.True(package.Images.All(image => image.Value.AsSpan().SequenceEqual(again.Images[image.Key])));
    }

    [Theory]
    [InlineData("../template.json")]
    [InlineData("images/../../etc/passwd.png")]
    [InlineData("/images/icon.png")]
    [InlineData("images\\icon.png")]
    [InlineData("images/sub/icon.png")]
    [InlineData("images/icon.exe")]
    [InlineData("notes.txt")]
    public void A_path_outside_the_expected_names_is_refused_with_400(string name)
    {
        var entries = DefaultEntries();
        entries[name] = [0x89, (byte)'P', (byte)'N', (byte)'G'];

        var (package, problem) = TemplateZip.Read(TemplateZips.Zip(entries), Limits);

        Assert.Null(package);
        Assert.Equal(400, problem!.Status);
        Assert.Contains("Unexpected entry", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void More_entries_than_the_cap_are_refused_with_413()
    {
        var entries = DefaultEntries();
        for (var i = 0; i < Limits.MaxEntries; i++)
        {
            entries[$"images/extra{i}.png"] = [1];
        }

        Assert.Equal(413, TemplateZip.Read(TemplateZips.Zip(entries), Limits).Problem!.Status);
    }

    [Fact]
    public void An_entry_that_inflates_past_the_cap_is_stopped_at_the_cap_with_413()
    {
        // 20 MB of zeros deflates to a few KB: the archive is small, its content is not.
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in DefaultEntries())
            {
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(bytes);
            }

            using var bomb = zip.CreateEntry("images/bomb.png", CompressionLevel.SmallestSize).Open();
            bomb.Write(new byte[20 * 1024 * 1024]);
        }

        Assert.True(buffer.Length < Limits.MaxZipBytes);
        Assert.Equal(413, TemplateZip.Read(buffer.ToArray(), Limits).Problem!.Status);
    }

    [Fact]
    public void Not_a_zip_no_template_json_or_a_broken_one_are_refused()
    {
        Assert.Equal(400, TemplateZip.Read(Encoding.UTF8.GetBytes("{\"programId\": \"x\"}"), Limits).Problem!.Status);

        var withoutTemplate = DefaultEntries();
        withoutTemplate.Remove("template.json");
        Assert.Equal(400, TemplateZip.Read(TemplateZips.Zip(withoutTemplate), Limits).Problem!.Status);

        var broken = DefaultEntries();
        broken["template.json"] = Encoding.UTF8.GetBytes("{ not json");
        Assert.Equal(422, TemplateZip.Read(TemplateZips.Zip(broken), Limits).Problem!.Status);
    }

    [Fact]
    public void A_zip_over_the_size_cap_is_refused_before_it_is_opened()
    {
        Assert.Equal(413, TemplateZip.Read(new byte[Limits.MaxZipBytes + 1], Limits).Problem!.Status);
    }
}
