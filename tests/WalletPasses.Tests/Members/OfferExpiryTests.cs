using WalletPasses.Events;
using WalletPasses.Members;

namespace WalletPasses.Tests.Members;

/// <summary>
/// Which offers have left the pass at a given time, and when the next one will: the rule the offer-expiry job runs
/// on. An offer's <c>expiresAt</c> is the instant it stops being valid (README, "Loyalty events"), so it is gone at
/// that instant, not a second later.
/// </summary>
public sealed class OfferExpiryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static OfferState Offer(string id, DateTimeOffset? expiresAt, long sequence, bool withdrawn = false) =>
        new(id, withdrawn ? null : "Free pastry", withdrawn ? null : "Until Sunday", expiresAt, sequence, withdrawn);

    private static EventState With(params OfferState[] offers) =>
        offers.Aggregate(EventState.Empty, (state, offer) => state.WithOffer(offer));

    [Fact]
    public void An_offer_is_on_the_pass_until_its_expiry_and_gone_at_that_instant()
    {
        var state = With(Offer("pastry", Now.AddHours(1), 1), Offer("coffee", null, 2));

        Assert.Equal(["pastry", "coffee"], OfferExpiry.Expire(state, Now.AddHours(1).AddTicks(-1)).CurrentOffers.Select(o => o.Id));
        Assert.Equal(["coffee"], OfferExpiry.Expire(state, Now.AddHours(1)).CurrentOffers.Select(o => o.Id));
        Assert.Equal(["pastry"], OfferExpiry.ExpiredAt(state, Now.AddHours(1)).Select(o => o.Id));
    }

    [Fact]
    public void The_next_due_time_is_the_earliest_expiry_of_the_offers_still_shown()
    {
        var state = With(Offer("later", Now.AddDays(2), 1), Offer("withdrawn", Now.AddMinutes(5), 2, withdrawn: true), Offer("sooner", Now.AddHours(3), 3), Offer("open", null, 4));

        Assert.Equal(Now.AddHours(3), OfferExpiry.NextDue(state));
        Assert.Equal(Now.AddDays(2), OfferExpiry.NextDue(OfferExpiry.Expire(state, Now.AddHours(3))));
        Assert.Null(OfferExpiry.NextDue(OfferExpiry.Expire(state, Now.AddDays(2))));
        Assert.Null(OfferExpiry.NextDue(EventState.Empty));
    }

    [Fact]
    public void Nothing_expires_for_a_withdrawn_offer_or_one_published_again_with_a_later_expiry()
    {
        var published = EventApplication.Apply(new MemberProfile("Jane", 0, "silver", null, null), EventState.Empty, Published(1, Now.AddHours(1)), Now);
        var republished = EventApplication.Apply(published.Profile, published.State, Published(2, Now.AddHours(5)), Now.AddMinutes(30));
        var withdrawn = EventApplication.Apply(published.Profile, published.State, new LoyaltyEvent("evt-w", "m-1", 2, Now, LoyaltyEventTypes.OfferWithdrawn, null, null, null, null, null, new OfferInput("pastry")), Now.AddMinutes(30));

        Assert.Empty(OfferExpiry.ExpiredAt(republished.State, Now.AddHours(1)));
        Assert.Equal(Now.AddHours(5), OfferExpiry.NextDue(republished.State));
        Assert.Empty(OfferExpiry.ExpiredAt(withdrawn.State, Now.AddHours(1)));
        Assert.Null(OfferExpiry.NextDue(withdrawn.State));
    }

    [Fact]
    public void An_expired_offer_stays_gone_for_an_older_event_and_comes_back_when_the_backend_publishes_it_again()
    {
        var profile = new MemberProfile("Jane", 0, "silver", null, null);
        var published = EventApplication.Apply(profile, EventState.Empty, Published(5, Now.AddHours(1)), Now);
        var expired = OfferExpiry.Expire(published.State, Now.AddHours(1));

        var stale = EventApplication.Apply(profile, expired, Published(4, Now.AddDays(1)), Now.AddHours(2));
        var again = EventApplication.Apply(profile, expired, Published(6, Now.AddDays(1)), Now.AddHours(2));

        Assert.Empty(expired.CurrentOffers);
        Assert.Empty(stale.State.CurrentOffers);
        Assert.Equal(["pastry"], again.State.CurrentOffers.Select(o => o.Id));
    }

    private static LoyaltyEvent Published(long sequence, DateTimeOffset expiresAt) =>
        new($"evt-{sequence}", "m-1", sequence, Now, LoyaltyEventTypes.OfferPublished, null, null, null, null, null, new OfferInput("pastry", "Free pastry", "Until Sunday", expiresAt));
}
