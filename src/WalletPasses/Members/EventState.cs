using System.Text.Json;
using WalletPasses.Notifications;

namespace WalletPasses.Members;

/// <summary>
/// The event-sourced bookkeeping of a member, stored as JSON on the member row: the sequence that last
/// set each field (per-field last-writer-wins), offers with their sequences, recent alert times (the per-pass
/// notification budget, Apple and Google together) and the important alert waiting for the end of quiet hours.
/// </summary>
public sealed record EventState(
    IReadOnlyDictionary<string, long> FieldSequences,
    IReadOnlyList<OfferState> Offers,
    IReadOnlyList<DateTimeOffset> AlertTimes,
    DeferredAlert? Deferred = null)
{
    private const int MaxOfferTombstones = 50;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static EventState Empty { get; } = new(new Dictionary<string, long>(), [], []);

    public IReadOnlyList<MemberOffer> CurrentOffers =>
        Offers.Where(o => !o.Withdrawn).Select(o => new MemberOffer(o.Id, o.Title ?? "", o.Text ?? "", o.ExpiresAt)).ToArray();

    public static EventState Parse(string? json) =>
        string.IsNullOrEmpty(json) ? Empty : JsonSerializer.Deserialize<EventState>(json, Json) ?? Empty;

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The sequence of the newest event (or sequenced PUT) that set <paramref name="field"/>; -1 when none has.</summary>
    public long SequenceOf(string field) => FieldSequences.TryGetValue(field, out var sequence) ? sequence : -1;

    public int AlertsSince(DateTimeOffset since) => AlertTimes.Count(t => t > since);

    public EventState WithAlert(DateTimeOffset at) =>
        this with { AlertTimes = AlertTimes.Where(t => t > at.AddDays(-1)).Append(at).ToArray() };

    /// <summary>
    /// Offers become tombstones; sequences stay, so stale events cannot bring erased values back. The alert history and
    /// a deferred alert go: they only budget and announce alerts of a pass that is now voided (a member created again
    /// under the id has a new pass, with a budget of its own).
    /// </summary>
    public EventState Erased() =>
        this with { Offers = Offers.Select(o => o with { Title = null, Text = null, Withdrawn = true }).ToArray(), AlertTimes = [], Deferred = null };

    public EventState WithOffer(OfferState offer)
    {
        var others = Offers.Where(o => o.Id != offer.Id);
        var tombstones = others.Where(o => o.Withdrawn).OrderByDescending(o => o.Sequence).Take(MaxOfferTombstones);
        return this with { Offers = others.Where(o => !o.Withdrawn).Concat(tombstones).Append(offer).OrderBy(o => o.Sequence).ToArray() };
    }
}
