using System.IO.Compression;
using System.Text.Json;

namespace WalletPasses.Tests.Infrastructure;

/// <summary>A downloaded .pkpass opened the way Wallet would: every file by name, pass.json parsed.</summary>
public sealed class PkPass
{
    public PkPass(byte[] content)
    {
        using var zip = new ZipArchive(new MemoryStream(content), ZipArchiveMode.Read);
        Files = zip.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var stream = e.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        });
        PassJson = JsonDocument.Parse(Files["pass.json"]).RootElement.Clone();
        Manifest = JsonSerializer.Deserialize<Dictionary<string, string>>(Files["manifest.json"])!;
    }

    public IReadOnlyDictionary<string, byte[]> Files { get; }

    public JsonElement PassJson { get; }

    public IReadOnlyDictionary<string, string> Manifest { get; }

    public JsonElement Field(string section, string key) =>
        PassJson.GetProperty("storeCard").GetProperty(section).EnumerateArray().Single(f => f.GetProperty("key").GetString() == key);

    /// <summary>The strings of one language's pass.strings.</summary>
    public IReadOnlyDictionary<string, string> Strings(string language)
    {
        var text = System.Text.Encoding.UTF8.GetString(Files[$"{language}.lproj/pass.strings"]);
        var strings = new Dictionary<string, string>();
        foreach (System.Text.RegularExpressions.Match match in System.Text.RegularExpressions.Regex.Matches(text, "^\"((?:[^\"\\\\]|\\\\.)*)\" = \"((?:[^\"\\\\]|\\\\.)*)\";$", System.Text.RegularExpressions.RegexOptions.Multiline))
        {
            strings[Unescape(match.Groups[1].Value)] = Unescape(match.Groups[2].Value);
        }

        return strings;
    }

    private static string Unescape(string value) => value.Replace("\\n", "\n").Replace("\\\"", "\"").Replace("\\\\", "\\");
}
