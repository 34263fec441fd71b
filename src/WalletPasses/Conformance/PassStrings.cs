using System.Globalization;
using System.Text;

namespace WalletPasses.Conformance;

/// <summary>
/// Reads a pass.strings file as Wallet does. Apple: "Creating the Source for a Pass" (each <c>xx.lproj</c> folder holds a
/// pass.strings translating the pass.json strings) and the Resource Programming Guide's "String Resources" (the standard
/// strings file: <c>"key" = "value";</c> pairs with C comments, UTF-16 or UTF-8). The grammar is the one of Apple's own
/// reader, Core Foundation's old-style property list parser (swiftlang/swift-corelibs-foundation,
/// CoreFoundation/Parsing.subproj/CFOldStylePList.c, and CFPropertyList.c's encodingForXMLData for the encoding):
/// <list type="bullet">
/// <item>Encoding: a UTF-16 (LE or BE) or UTF-8 byte order mark says which; without one the bytes are UTF-8. Bytes that
/// are not valid in that encoding make the conversion fail, and then none of the file's strings is read.</item>
/// <item>A string is double- or single-quoted, or unquoted (letters, digits and <c>_$/:.-</c>); <c>"key";</c> alone maps the
/// key to itself.</item>
/// <item>Escapes: <c>\n \r \t \a \b \f \v</c>, <c>\"</c>, up to three octal digits, <c>\U</c> with up to four hex digits
/// (capital U only: <c>\u</c> is a plain "u"), and a backslash before anything else stands for that character
/// (<c>\\</c> is one backslash).</item>
/// </list>
/// </summary>
public static class PassStrings
{
    /// <returns>Key to text, or null with <paramref name="error"/> when Wallet could not read the file.</returns>
    public static IReadOnlyDictionary<string, string>? Parse(byte[] content, out string? error)
    {
        if (Decode(content, out error) is not { } text)
        {
            return null;
        }

        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        var position = 0;
        while (true)
        {
            SkipSpaceAndComments(text, ref position);
            if (position >= text.Length)
            {
                return entries;
            }

            if (ReadString(text, ref position) is not { } key)
            {
                error = $"expected a quoted key at character {position}";
                return null;
            }

            SkipSpaceAndComments(text, ref position);
            var value = key; // "key"; alone: Core Foundation's shortcut for a string that is its own translation
            if (position < text.Length && text[position] == '=')
            {
                position++;
                SkipSpaceAndComments(text, ref position);
                if (ReadString(text, ref position) is not { } read)
                {
                    error = $"expected a quoted value for \"{key}\"";
                    return null;
                }

                value = read;
                SkipSpaceAndComments(text, ref position);
            }

            if (position >= text.Length || text[position] != ';')
            {
                error = $"expected ';' after the value of \"{key}\"";
                return null;
            }

            position++;
            entries[key] = value;
        }
    }

    private static string? Decode(byte[] content, out string? error)
    {
        var bytes = content.AsSpan();
        var (encoding, name, skip) =
            bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) ? (new UnicodeEncoding(false, false, true), "UTF-16", 2)
            : bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) ? (new UnicodeEncoding(true, false, true), "UTF-16", 2)
            : bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? ((Encoding)new UTF8Encoding(false, true), "UTF-8", 3)
            : (new UTF8Encoding(false, true), "UTF-8", 0);
        try
        {
            error = null;
            return encoding.GetString(content, skip, content.Length - skip);
        }
        catch (DecoderFallbackException)
        {
            error = $"it is not valid {name} (save it as UTF-8, or UTF-16 with its byte order mark), so Wallet reads none of its strings";
            return null;
        }
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
                var end = text.IndexOfAny(['\n', '\r', '\u2028', '\u2029'], position);
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

    private static string? ReadString(string text, ref int position)
    {
        if (position >= text.Length)
        {
            return null;
        }

        if (text[position] is '"' or '\'')
        {
            return ReadQuoted(text, ref position);
        }

        var start = position;
        while (position < text.Length && IsUnquotedCharacter(text[position]))
        {
            position++;
        }

        return position > start ? text[start..position] : null;
    }

    private static bool IsUnquotedCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '$' or '/' or ':' or '.' or '-';

    private static string? ReadQuoted(string text, ref int position)
    {
        var quote = text[position];
        var value = new StringBuilder();
        for (var i = position + 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == quote)
            {
                position = i + 1;
                return value.ToString();
            }

            if (c == '\\' && i + 1 < text.Length)
            {
                i++;
                value.Append(Escaped(text, ref i));
                continue;
            }

            value.Append(c);
        }

        return null;
    }

    /// <summary>The character a backslash escape stands for; <paramref name="index"/> is at the character after the backslash and ends at the escape's last.</summary>
    private static char Escaped(string text, ref int index)
    {
        var c = text[index];
        switch (c)
        {
            case >= '0' and <= '7':
                var octal = c - '0';
                for (var digits = 1; digits < 3 && index + 1 < text.Length && text[index + 1] is >= '0' and <= '7'; digits++)
                {
                    octal = (octal * 8) + (text[++index] - '0');
                }

                return (char)octal;
            case 'U':
                var hex = 0;
                for (var digits = 0; digits < 4 && index + 1 < text.Length && char.IsAsciiHexDigit(text[index + 1]); digits++)
                {
                    hex = (hex * 16) + int.Parse(text.AsSpan(++index, 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                }

                return (char)hex;
            case 'a': return '\a';
            case 'b': return '\b';
            case 'f': return '\f';
            case 'n': return '\n';
            case 'r': return '\r';
            case 't': return '\t';
            case 'v': return '\v';
            default: return c; // \" \\ \' and any other: the character itself
        }
    }
}
