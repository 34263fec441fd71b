using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using WalletPasses.Security;

namespace WalletPasses.Tests.Security;

/// <summary>
/// Every identifier format holds for any input, not just the examples: no line feed (or any other control
/// or space character) passes anywhere, and whatever passes is a legal Table Storage key (Azure's "Understanding
/// the Table service data model": no / \ # ?, no control characters U+0000-001F and U+007F-009F, at most 1 KiB).
/// </summary>
public sealed class IdentifierFormatTests
{
    /// <summary>What an attacker appends: .NET's <c>$</c> matches before a final "\n", so "\n" is the one that got through.</summary>
    private static readonly string[] HostileSuffixes = ["\n", "\r\n", "\r", "\0", " ", "\t", "\u0085", "\u2028", "\n\n"];

    /// <summary>Values that look like the format: the example's characters, mostly at the example's length (so many are valid).</summary>
    private static Gen<(IdentifierFormat Format, string Value)> LookAlikes() =>
        from format in Gen.Elements(IdentifierFormat.All.ToArray())
        from length in Gen.OneOf(Gen.Constant(format.Example.Length), Gen.Choose(1, format.Example.Length * 2))
        from chars in Gen.Elements(format.Example.ToCharArray()).ArrayOf(length)
        select (format, new string(chars));

    [Property(MaxTest = 1000)]
    public Property No_format_accepts_a_value_followed_by_a_line_feed_or_other_control_character() =>
        Prop.ForAll(
            LookAlikes().SelectMany(_ => Gen.Elements(HostileSuffixes), (candidate, suffix) => (candidate.Format, candidate.Value, Suffix: suffix)).ToArbitrary(),
            c => (!c.Format.IsValid(c.Value + c.Suffix) && !c.Format.IsValid(c.Suffix + c.Value)).Label($"{c.Format} accepted {c.Value + c.Suffix}"));

    [Property(MaxTest = 2000)]
    public Property Whatever_a_format_accepts_is_a_legal_Table_Storage_key() =>
        Prop.ForAll(
            LookAlikes().SelectMany(
                _ => Gen.Choose(0, 0x2FFF).Select(c => (char)c),
                (candidate, inserted) => (candidate.Format, Value: candidate.Value.Insert(candidate.Value.Length / 2, inserted.ToString()))).ToArbitrary(),
            c => (!c.Format.IsValid(c.Value) || IsLegalTableKey(c.Value)).Label($"{c.Format} accepted {c.Value}"));

    [Fact]
    public void Each_example_is_valid_and_stops_being_valid_with_a_trailing_line_feed()
    {
        Assert.All(IdentifierFormat.All, format =>
        {
            Assert.True(format.IsValid(format.Example), format.Name);
            Assert.False(format.IsValid(format.Example + "\n"), format.Name);
        });
    }

    [Fact]
    public void Null_and_empty_are_never_valid() =>
        Assert.All(IdentifierFormat.All, format => Assert.False(format.IsValid(null) || format.IsValid(""), format.Name));

    private static bool IsLegalTableKey(string key) =>
        key.Length <= 1024 && !key.Any(c => c is '/' or '\\' or '#' or '?' or <= '\u001F' or (>= '\u007F' and <= '\u009F') || char.IsWhiteSpace(c));
}
