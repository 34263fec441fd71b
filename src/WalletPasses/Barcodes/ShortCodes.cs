using System.Security.Cryptography;

namespace WalletPasses.Barcodes;

/// <summary>
/// The short code printed under a pass's QR code (Apple's <c>altText</c>, Google's <c>alternateText</c>), for
/// staff to type when the QR code will not scan: 10 random Crockford base32 characters (50 bits), shown as
/// <c>ABCDE-FGHJK</c>. It carries no signature (too short), so it is only a key to look the pass's token up on
/// the server; with staff keys rate-limited, guessing one of a million codes takes about 10⁹ tries. Typing is
/// forgiving: case, spaces and dashes are ignored, and O, I and L read as 0, 1 and 1, as Crockford specifies.
/// </summary>
public static class ShortCodes
{
    public const int Length = 10;
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New()
    {
        Span<char> code = stackalloc char[Length];
        for (var i = 0; i < Length; i++)
        {
            code[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return new string(code);
    }

    /// <summary>As printed on the pass: <c>ABCDE-FGHJK</c>.</summary>
    public static string Display(string code) => code[..(Length / 2)] + "-" + code[(Length / 2)..];

    /// <summary>The code in typed text, or null when the text is not one (a token, say).</summary>
    public static string? Normalize(string text)
    {
        if (text.Length > 2 * Length)
        {
            return null;
        }

        Span<char> code = stackalloc char[Length];
        var count = 0;
        foreach (var c in text)
        {
            if (c is ' ' or '-')
            {
                continue;
            }

            var mapped = char.ToUpperInvariant(c) switch
            {
                'O' => '0',
                'I' or 'L' => '1',
                var other => other,
            };
            if (count == Length || !Alphabet.Contains(mapped, StringComparison.Ordinal))
            {
                return null;
            }

            code[count++] = mapped;
        }

        return count == Length ? new string(code) : null;
    }
}
