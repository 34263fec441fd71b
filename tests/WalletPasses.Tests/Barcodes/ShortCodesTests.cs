using WalletPasses.Barcodes;

namespace WalletPasses.Tests.Barcodes;

public sealed class ShortCodesTests
{
    [Fact]
    public void A_new_code_is_ten_crockford_characters_shown_in_two_groups()
    {
        var codes = Enumerable.Range(0, 200).Select(_ => ShortCodes.New()).ToArray();

        Assert.All(codes, code => Assert.Matches("^[0-9A-HJKMNP-TV-Z]{10}$", code));
        Assert.Equal(codes.Length, codes.Distinct().Count());
        Assert.Matches("^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$", ShortCodes.Display(codes[0]));
    }

    // Crockford's base32 (https://www.crockford.com/base32.html): case-insensitive, O reads as 0, I and L as 1.
    [Theory]
    [InlineData("K7QM2-XRD9F", "K7QM2XRD9F")]
    [InlineData("k7qm2xrd9f", "K7QM2XRD9F")]
    [InlineData(" k7qm2 xrd9f ", "K7QM2XRD9F")]
    [InlineData("O1IL0-ABCDE", "01110ABCDE")]
    public void Typed_codes_are_read_forgivingly(string typed, string code) => Assert.Equal(code, ShortCodes.Normalize(typed));

    [Theory]
    [InlineData("K7QM2-XRD9")]
    [InlineData("K7QM2-XRD9FF")]
    [InlineData("K7QM2-XRD9U")]
    [InlineData("WP1.AAAA.BBBB")]
    [InlineData("")]
    public void Other_text_is_not_a_code(string typed) => Assert.Null(ShortCodes.Normalize(typed));
}
