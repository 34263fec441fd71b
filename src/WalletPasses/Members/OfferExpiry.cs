namespace WalletPasses.Members;

/// <summary>
/// When an offer leaves the pass: an offer with an <c>expiresAt</c> is shown until that instant and gone from it
/// (at <c>expiresAt</c> itself). Apple Wallet has no expiry per field, only the whole pass's <c>expirationDate</c>
/// (Apple, "Pass", developer.apple.com/documentation/walletpasses/pass), so the service takes the offer off with a
/// new version of its own: these rules say which offers are past and when the next one will be. Pure: state, now → answer.
/// </summary>
public static class OfferExpiry
{
    /// <summary>The offers on the pass (not withdrawn) whose expiry is at or before <paramref name="now"/>.</summary>
    public static IReadOnlyList<OfferState> ExpiredAt(EventState state, DateTimeOffset now) =>
        state.Offers.Where(offer => !offer.Withdrawn && offer.ExpiresAt <= now).ToArray();

    /// <summary>
    /// <paramref name="state"/> without the offers expired at <paramref name="now"/>: each becomes a tombstone at its
    /// own sequence (so an event older than the one that published it still cannot bring it back, and a newer one
    /// can publish it again). The same state when none has expired.
    /// </summary>
    public static EventState Expire(EventState state, DateTimeOffset now) =>
        ExpiredAt(state, now).Aggregate(state, (expired, offer) => expired.WithOffer(offer with { Title = null, Text = null, Withdrawn = true }));

    /// <summary>When the next offer on the pass expires: the earliest expiry of those not withdrawn; null when none has one.</summary>
    public static DateTimeOffset? NextDue(EventState state) =>
        state.Offers.Where(offer => !offer.Withdrawn).Min(offer => offer.ExpiresAt);
}
