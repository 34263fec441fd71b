using System.Security.Cryptography;
using WalletPasses.Barcodes;

namespace WalletPasses.Tests.Barcodes;

public sealed class BarcodeTokensTests
{
    private const string Serial = "0123456789abcdef0123456789abcdef";
    private const string Program = "brand2";
    private static readonly DateTimeOffset IssuedAt = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_token_verifies_and_names_its_pass()
    {
        using var tokens = new BarcodeTokens(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var token = tokens.Issue(Serial, Program, IssuedAt);

        var result = tokens.Verify(token);

        Assert.True(result.IsValid);
        Assert.Equal(Serial, result.SerialNumber);
        Assert.Equal(IssuedAt, result.IssuedAt);
        Assert.Equal(BarcodeTokens.ProgramTag(Program), result.ProgramTag);
        Assert.StartsWith("WP2.", token, StringComparison.Ordinal);
        Assert.InRange(token.Length, 100, 130); // small enough for a low-density QR code
    }

    [Fact]
    public void A_token_verifies_offline_with_only_the_public_key_as_WebCrypto_would()
    {
        using var tokens = new BarcodeTokens(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var token = tokens.Issue(Serial, Program, IssuedAt);
        var dot = token.LastIndexOf('.');

        using var publicKey = ECDsa.Create();
        publicKey.ImportSubjectPublicKeyInfo(tokens.PublicKeySpki, out _);
        var signature = System.Buffers.Text.Base64Url.DecodeFromChars(token.AsSpan(dot + 1));

        Assert.Equal(64, signature.Length); // IEEE P1363 r||s
        Assert.True(publicKey.VerifyData(System.Text.Encoding.ASCII.GetBytes(token[..dot]), signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    [Fact]
    public void A_token_with_a_changed_serial_is_forged()
    {
        using var tokens = new BarcodeTokens(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var token = tokens.Issue(Serial, Program, IssuedAt);
        var other = tokens.Issue("ffffffffffffffffffffffffffffffff", Program, IssuedAt);
        var spliced = other[..other.LastIndexOf('.')] + token[token.LastIndexOf('.')..];

        Assert.Equal("forged", tokens.Verify(spliced).FailureReason);
    }

    [Fact]
    public void Issued_tokens_carry_the_low_s_signature_whatever_the_signer_drew()
    {
        using var tokens = new BarcodeTokens(ECDsa.Create(ECCurve.NamedCurves.nistP256));

        // ECDSA draws s at random: over 64 signatures about half would be high without normalising.
        var signatures = Enumerable.Range(0, 64).Select(i => tokens.Issue(Serial, Program, IssuedAt.AddSeconds(i))).ToArray();

        Assert.All(signatures, token => Assert.True(TokenRewrites.S(token) <= TokenRewrites.P256Order / 2));
        Assert.All(signatures, token => Assert.True(tokens.Verify(token).IsValid));
    }

    [Fact]
    public void A_token_rewritten_into_its_high_s_twin_or_padded_is_refused()
    {
        using var tokens = new BarcodeTokens(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var token = tokens.Issue(Serial, Program, IssuedAt);
        var twin = TokenRewrites.HighS(token);

        // The twin is a valid ECDSA signature of the same text: only the canonical-form rule refuses it.
        using var publicKey = ECDsa.Create();
        publicKey.ImportSubjectPublicKeyInfo(tokens.PublicKeySpki, out _);
        var dot = twin.LastIndexOf('.');
        Assert.True(publicKey.VerifyData(System.Text.Encoding.ASCII.GetBytes(twin[..dot]), System.Buffers.Text.Base64Url.DecodeFromChars(twin.AsSpan(dot + 1)), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

        Assert.Equal("malformed", tokens.Verify(twin).FailureReason);
        Assert.Equal("malformed", tokens.Verify(TokenRewrites.Padded(token)).FailureReason);
        Assert.Equal("malformed", tokens.Verify(TokenRewrites.UnusedBitsSet(token)).FailureReason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("WP1.")]
    [InlineData("WP1.AAAA.BBBB")]
    [InlineData("WP2.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAA")]
    [InlineData("WP3.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAA")]
    public void Malformed_text_is_rejected_without_throwing(string scanned)
    {
        using var tokens = new BarcodeTokens(ECDsa.Create(ECCurve.NamedCurves.nistP256));

        var result = tokens.Verify(scanned);

        Assert.False(result.IsValid);
        Assert.Equal("malformed", result.FailureReason);
    }

    [Fact]
    public void The_program_tag_is_the_first_4_bytes_of_SHA_256_of_the_program_id_and_tells_programs_apart()
    {
        // SHA-256("default") = 37a8eec1ce19687d…: what an offline verifier computes with WebCrypto's digest.
        Assert.Equal("37a8eec1", BarcodeTokens.ProgramTag("default"));
        Assert.NotEqual(BarcodeTokens.ProgramTag("default"), BarcodeTokens.ProgramTag(Program));
    }

    [Fact]
    public void A_token_moved_to_another_program_is_forged()
    {
        using var tokens = new BarcodeTokens(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var token = tokens.Issue(Serial, Program, IssuedAt);
        var payload = System.Buffers.Text.Base64Url.DecodeFromChars(token.AsSpan(4, token.LastIndexOf('.') - 4));
        Convert.FromHexString(BarcodeTokens.ProgramTag("default")).CopyTo(payload, 4);
        var moved = "WP2." + System.Buffers.Text.Base64Url.EncodeToString(payload) + token[token.LastIndexOf('.')..];

        Assert.Equal("forged", tokens.Verify(moved).FailureReason);
    }

    [Fact]
    public void A_WP1_token_issued_before_tokens_named_their_program_still_verifies_with_no_program()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var old = ProgramlessTokens.Issue(key, Serial, IssuedAt);
        using var tokens = new BarcodeTokens(ECDsa.Create(key.ExportParameters(true)));

        var result = tokens.Verify(old);

        Assert.True(result.IsValid);
        Assert.Equal(Serial, result.SerialNumber);
        Assert.Equal(IssuedAt, result.IssuedAt);
        Assert.Null(result.ProgramTag);
    }

    [Fact]
    public void A_truncated_token_is_rejected()
    {
        using var tokens = new BarcodeTokens(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var token = tokens.Issue(Serial, Program, IssuedAt);

        Assert.False(tokens.Verify(token[..^3]).IsValid);
    }

    [Fact]
    public void A_token_of_another_deployment_is_from_an_unknown_key()
    {
        using var ours = new BarcodeTokens(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        using var theirs = new BarcodeTokens(ECDsa.Create(ECCurve.NamedCurves.nistP256));

        Assert.Equal("unknown-key", ours.Verify(theirs.Issue(Serial, Program, IssuedAt)).FailureReason);
    }

    [Fact]
    public void The_options_validator_explains_a_missing_or_wrong_key()
    {
        var validator = new BarcodeOptionsValidator();

        Assert.Contains("SigningKeyFile", validator.Validate(null, new BarcodeOptions()).FailureMessage);
        Assert.Contains("no file", validator.Validate(null, new BarcodeOptions { SigningKeyFile = "/nonexistent/key.pem" }).FailureMessage);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        Assert.Contains("P-256", validator.Validate(null, new BarcodeOptions { SigningKeyPem = p384.ExportPkcs8PrivateKeyPem() }).FailureMessage);
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.True(validator.Validate(null, new BarcodeOptions { SigningKeyPem = p256.ExportPkcs8PrivateKeyPem() }).Succeeded);
    }
}
