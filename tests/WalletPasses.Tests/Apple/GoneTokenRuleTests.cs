using WalletPasses.Apple;

namespace WalletPasses.Tests.Apple;

/// <summary>
/// Apple, "Handling notification responses from APNs"
/// (https://developer.apple.com/documentation/usernotifications/handling-notification-responses-from-apns): a 410's
/// <c>timestamp</c> is "the last time at which APNs confirmed that the device token was no longer valid for the topic.
/// Stop pushing notifications until the device registers a token with a later timestamp with your provider."
/// </summary>
public sealed class GoneTokenRuleTests
{
    private const string Token = "aa11";

    private static readonly DateTimeOffset FirstRegistered = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static DeviceRegistration Registration(DateTimeOffset? lastRegisteredAt, string pushToken = Token) =>
        new("device-1", pushToken, "serial-1", FirstRegistered, lastRegisteredAt);

    [Fact]
    public void A_token_found_gone_after_the_last_registration_removes_it() =>
        Assert.True(GoneTokenRule.Removes(Registration(FirstRegistered.AddDays(1)), Token, FirstRegistered.AddDays(2)));

    [Fact]
    public void A_registration_after_the_timestamp_keeps_it() =>
        Assert.False(GoneTokenRule.Removes(Registration(FirstRegistered.AddDays(2)), Token, FirstRegistered.AddDays(1)));

    [Fact]
    public void A_registration_at_the_timestamp_is_not_later_and_is_removed() =>
        Assert.True(GoneTokenRule.Removes(Registration(FirstRegistered.AddDays(1)), Token, FirstRegistered.AddDays(1)));

    [Fact]
    public void A_registration_within_the_timestamps_millisecond_is_not_later() =>
        Assert.True(GoneTokenRule.Removes(Registration(FirstRegistered.AddTicks(9_999)), Token, FirstRegistered));

    [Fact]
    public void Without_a_last_registration_the_first_one_is_compared() =>
        Assert.Equal(
            (true, false),
            (GoneTokenRule.Removes(Registration(null), Token, FirstRegistered.AddSeconds(1)), GoneTokenRule.Removes(Registration(null), Token, FirstRegistered.AddSeconds(-1))));

    [Fact]
    public void An_undated_answer_removes_it_however_recent_the_registration() =>
        Assert.True(GoneTokenRule.Removes(Registration(DateTimeOffset.MaxValue), Token, invalidSince: null));

    [Fact]
    public void A_registration_with_another_token_stays() =>
        Assert.False(GoneTokenRule.Removes(Registration(null, pushToken: "bb22"), Token, invalidSince: null));
}
