using WalletPasses.Members;

namespace WalletPasses.Tests.Members;

/// <summary>
/// The offers a pass shows are stored on the member row (<c>OffersJson</c>), not parsed out of the event state; rows
/// stored before that column existed still show their offers.
/// </summary>
public sealed class MemberOffersStorageTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly EventState WithOneOffer = EventState.Empty
        .WithOffer(new OfferState("spring", "Spring sale", "20% off shoes", Now.AddDays(7), 3, Withdrawn: false))
        .WithOffer(new OfferState("old", null, null, null, 2, Withdrawn: true));

    [Fact]
    public void A_row_stored_before_offers_had_their_own_column_shows_the_offers_of_its_event_state()
    {
        var legacy = new MemberEntity { PartitionKey = "m-1", EventStateJson = WithOneOffer.ToJson(), OffersJson = null };

        var offer = Assert.Single(legacy.ToMember().Offers);

        Assert.Equal(new MemberOffer("spring", "Spring sale", "20% off shoes", Now.AddDays(7)), offer);
    }

    [Fact]
    public void Recorded_offers_are_read_from_the_member_row_without_the_event_state()
    {
        var member = new MemberEntity { PartitionKey = "m-1" };
        member.Record(WithOneOffer);
        member.EventStateJson = "{not json"; // only the event processor reads the event state now

        var offer = Assert.Single(member.ToMember().Offers);

        Assert.Equal("spring", offer.Id);
        Assert.Equal("20% off shoes", offer.Text);
    }

    [Fact]
    public void A_new_member_row_has_no_offers()
    {
        Assert.Empty(new MemberEntity { PartitionKey = "m-1", OffersJson = MemberEntity.NoOffers }.ToMember().Offers);
    }

    [Fact]
    public void Erasing_the_event_state_empties_the_stored_offers()
    {
        var member = new MemberEntity { PartitionKey = "m-1" };
        member.Record(WithOneOffer);

        member.Record(EventState.Parse(member.EventStateJson).Erased());

        Assert.Empty(member.ToMember().Offers);
        Assert.DoesNotContain("Spring sale", member.EventStateJson, StringComparison.Ordinal);
        Assert.DoesNotContain("Spring sale", member.OffersJson, StringComparison.Ordinal);
    }
}
