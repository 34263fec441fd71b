using System.Text;
using WalletPasses.Apple;
using WalletPasses.Conformance;
using WalletPasses.Templates;
using static WalletPasses.Tests.Conformance.PassPackages;

namespace WalletPasses.Tests.Conformance;

/// <summary>
/// pass.strings as Wallet reads it. Apple, "Creating the Source for a Pass": each <c>xx.lproj/pass.strings</c> translates
/// the pass.json strings. Apple, Resource Programming Guide, "String Resources"
/// (developer.apple.com/documentation/Cocoa/Conceptual/LoadingResources/Strings): the standard strings file is
/// <c>"key" = "value";</c> pairs with comments, saved as UTF-16 (the guide's later revision recommends UTF-8, which Xcode
/// would transcode; nothing transcodes a pass). The reader's grammar is Apple's own parser's:
/// swiftlang/swift-corelibs-foundation CoreFoundation/Parsing.subproj/CFOldStylePList.c (getSlashedChar: <c>\"</c>,
/// <c>\n</c>, octal, <c>\U</c> + four hex digits, any other escaped character is itself; parsePlistDictContent:
/// <c>"key";</c> alone) and CFPropertyList.c (encodingForXMLData: a byte order mark picks UTF-16 or UTF-8, none means
/// UTF-8; __CFCreateOldStylePropertyListOrStringsFile: bytes that do not convert fail the whole file).
/// </summary>
public sealed class PassStringsTests
{
    private const string Tricky = "Café «Prämie» \"Gold\" C:\\Punkte\nZweite Zeile 🎉 100 %";

    /// <summary><see cref="Tricky"/> as it stands between the quotes of a strings file.</summary>
    private const string TrickyEscaped = "Café «Prämie» \\\"Gold\\\" C:\\\\Punkte\\nZweite Zeile 🎉 100 %";

    [Fact]
    public void A_translation_with_quotes_a_backslash_a_newline_and_non_ASCII_text_reads_back_as_written()
    {
        var template = DefaultTemplate.Template();
        var german = new Dictionary<string, string>(template.Strings["de"]) { ["label.member"] = Tricky };
        template = template with { Strings = new Dictionary<string, IReadOnlyDictionary<string, string>>(template.Strings) { ["de"] = german } };

        var bytes = AppleTemplateAssets.PassStrings(template, "de");

        // UTF-8 without a byte order mark (Apple's reader takes BOM-less bytes as UTF-8), the escapes Apple's parser reads.
        Assert.False(bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]));
        var text = new UTF8Encoding(false, true).GetString(bytes);
        Assert.Contains($"\"label.member\" = \"{TrickyEscaped}\";\n", text, StringComparison.Ordinal);
        var entries = PassStrings.Parse(bytes, out var error);
        Assert.Null(error);
        Assert.Equal(Tricky, entries!["label.member"]);
        Assert.Equal(AppleTemplateAssets.PassStringEntries(template, "de"), entries.OrderBy(e => e.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void The_same_file_saved_as_UTF_16_with_its_byte_order_mark_reads_the_same()
    {
        var file = $"/* Xcode's way */\n\"label.member\" = \"{TrickyEscaped}\";\n";
        var littleEndian = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(file)).ToArray();
        var bigEndian = Encoding.BigEndianUnicode.GetPreamble().Concat(Encoding.BigEndianUnicode.GetBytes(file)).ToArray();

        Assert.Equal(Tricky, PassStrings.Parse(littleEndian, out _)!["label.member"]);
        Assert.Equal(Tricky, PassStrings.Parse(bigEndian, out _)!["label.member"]);
    }

    [Fact]
    public void A_file_that_is_not_valid_UTF_8_is_refused_since_Wallet_then_reads_none_of_it()
    {
        // "Café" saved as Latin-1 by an editor: 0xE9 alone is not UTF-8.
        byte[] latin1 = [.. Encoding.ASCII.GetBytes("\"label.member\" = \"Caf"), 0xE9, .. Encoding.ASCII.GetBytes("\";\n")];

        Assert.Null(PassStrings.Parse(latin1, out var error));
        Assert.Contains("not valid UTF-8", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_check_pass_tool_names_a_strings_file_Wallet_cannot_decode()
    {
        var files = Files(Ours());
        files["de.lproj/pass.strings"] = [.. files["de.lproj/pass.strings"], 0xC3]; // a UTF-8 sequence cut short
        var report = ConformanceReport.Of(PassPackageConformance.Check(SignAndZip(files)).Problems);

        var problem = Assert.Single(report.Problems, p => p.Path == "de.lproj/pass.strings");
        Assert.Equal(ConformanceSeverity.Error, problem.Severity);
        Assert.Contains("not valid UTF-8", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"k\" = \"caf\\U00e9\";", "café")] // \U and four hex digits
    [InlineData("\"k\" = \"caf\\u00e9\";", "cafu00e9")] // small u is no escape to Apple: a plain "u"
    [InlineData("\"k\" = \"tab\\there\\101\";", "tab\there" + "A")] // octal
    [InlineData("\"k\" = 'single \"quoted\"';", "single \"quoted\"")]
    [InlineData("k = unquoted.value-1;", "unquoted.value-1")]
    [InlineData("\"k\";", "k")] // a key alone is its own translation
    public void Escapes_quotes_and_shortcuts_read_as_Apple_s_parser_reads_them(string file, string expected)
    {
        var entries = PassStrings.Parse(Encoding.UTF8.GetBytes(file), out var error);

        Assert.Null(error);
        Assert.Equal(expected, entries!["k"]);
    }

    [Theory]
    [InlineData("\"k\" = \"no end;")]
    [InlineData("\"k\" = \"v\"")]
    [InlineData("\"k\" \"v\";")]
    public void A_file_Apple_s_parser_stops_on_is_refused(string file) =>
        Assert.Null(PassStrings.Parse(Encoding.UTF8.GetBytes(file), out _));
}
