using WalletPasses.Apple.Apns;

namespace WalletPasses.Tests.Apple;

public sealed class ApnsPushTokenTests
{
    [Theory]
    [InlineData(64)]
    [InlineData(100)]
    [InlineData(200)]
    public void Hex_tokens_of_64_to_200_characters_are_valid(int length)
    {
        Assert.True(ApnsPushToken.IsValid(new string('a', length)));
        Assert.True(ApnsPushToken.IsValid(new string('F', length)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0123456789abcdef")]
    [InlineData("g000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData(" 000000000000000000000000000000000000000000000000000000000000000")]
    public void Anything_else_is_invalid(string? pushToken) => Assert.False(ApnsPushToken.IsValid(pushToken));

    [Fact]
    public void Tokens_over_200_characters_are_invalid() => Assert.False(ApnsPushToken.IsValid(new string('0', 201)));

    [Fact]
    public void Redaction_keeps_only_a_short_prefix()
    {
        var pushToken = ApnsTestClients.Token(42);

        var redacted = ApnsPushToken.Redact(pushToken);

        Assert.Equal(pushToken[..8] + "…", redacted);
    }
}
