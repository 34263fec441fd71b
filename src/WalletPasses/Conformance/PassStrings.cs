using System.Text;

namespace WalletPasses.Conformance;

/// <summary>
/// Reads a pass.strings file: lines of <c>"key" = "value";</c> with C comments, in UTF-8 or UTF-16 (with its byte order
/// mark), the "strings file" format Apple's localization uses ("Creating the Source for a Pass": each .lproj folder holds
/// a pass.strings that maps the pass.json strings to their translation).
/// </summary>
public static class PassStrings
{
    /// <returns>Key to text, or null with <paramref name="error"/> when the file cannot be read.</returns>
    public static IReadOnlyDictionary<string, string>? Parse(byte[] content, out string? error)
    {
        var text = Decode(content);
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        var position = 0;
        error = null;
        while (true)
        {
            SkipSpaceAndComments(text, ref position);
            if (position >= text.Length)
            {
                return entries;
            }

            if (ReadQuoted(text, ref position) is not { } key)
            {
                error = $"expected a quoted key at character {position}";
                return null;
            }

            SkipSpaceAndComments(text, ref position);
            if (position >= text.Length || text[position] != '=')
            {
                error = $"expected '=' after \"{key}\"";
                return null;
            }

            position++;
            SkipSpaceAndComments(text, ref position);
            if (ReadQuoted(text, ref position) is not { } value)
            {
                error = $"expected a quoted value for \"{key}\"";
                return null;
            }

            SkipSpaceAndComments(text, ref position);
            if (position >= text.Length || text[position] != ';')
            {
                error = $"expected ';' after the value of \"{key}\"";
                return null;
            }

            position++;
            entries[key] = value;
        }
    }

    private static string Decode(byte[] content)
    {
        if (content.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return Encoding.Unicode.GetString(content, 2, content.Length - 2);
        }

        if (content.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return Encoding.BigEndianUnicode.GetString(content, 2, content.Length - 2);
        }

        var bom = content.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        return Encoding.UTF8.GetString(content, bom, content.Length - bom);
    }

    private static void SkipSpaceAndComments(string text, ref int position)
    {
        while (position < text.Length)
        {
            if (char.IsWhiteSpace(text[position]))
            {
                position++;
            }
            else if (text.AsSpan(position).StartsWith("//"))
            {
                var end = text.IndexOf('\n', position);
                position = end < 0 ? text.Length : end + 1;
            }
            else if (text.AsSpan(position).StartsWith("/*"))
            {
                var end = text.IndexOf("*/", position + 2, StringComparison.Ordinal);
                position = end < 0 ? text.Length : end + 2;
            }
            else
            {
                return;
            }
        }
    }

    private static string? ReadQuoted(string text, ref int position)
    {
        if (position >= text.Length || text[position] != '"')
        {
            return null;
        }

        var value = new StringBuilder();
        for (var i = position + 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"')
            {
                position = i + 1;
                return value.ToString();
            }

            if (c == '\\' && i + 1 < text.Length)
            {
                i++;
                value.Append(text[i] switch
                {
                    'n' => "\n",
                    't' => "\t",
                    'r' => "\r",
                    'U' or 'u' when i + 4 < text.Length && int.TryParse(text.AsSpan(i + 1, 4), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var code) => Advance(ref i, 4, ((char)code).ToString()),
                    var other => other.ToString(),
                });
                continue;
            }

            value.Append(c);
        }

        return null;
    }

    private static string Advance(ref int index, int by, string value)
    {
        index += by;
        return value;
    }
}
