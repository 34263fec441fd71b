using WalletPasses.Google;
using WalletPasses.Members;

namespace WalletPasses.Tests.Google;

public sealed class GooglePassContentTests
{
    private static readonly MemberOffer[] TwelveOffers =
        [.. Enumerable.Range(1, 12).Select(i => new MemberOffer($"offer-{i}", $"Offer {i}", "Text", null))];

    // LoyaltyObject.messages: "The maximum number of these fields is 10"; a tier announcement takes one of them.
    [Fact]
    public void Offers_shown_beside_a_tier_message_leave_it_room_within_Googles_ten_messages()
    {
        var alone = GooglePassContent.OfferMessagesBeside(TwelveOffers, tierMessage: null);
        var besideTier = GooglePassContent.OfferMessagesBeside(TwelveOffers, new Message { Id = "tier-7", Header = "Tier", Body = "Your tier is now Gold" });

        Assert.Equal(TwelveOffers[2..], alone);
        Assert.Equal(TwelveOffers[3..], besideTier);
    }
}
