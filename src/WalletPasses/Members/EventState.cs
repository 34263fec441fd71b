using System.Text.Json;

namespace WalletPasses.Members;

/// <summary>An offer as events left it, with the sequence that set it; withdrawn offers stay as tombstones.</summary>
public sealed record OfferState(string Id, string? Title, string? Text, DateTimeOffset? ExpiresAt, long Sequence, bool Withdrawn);

/// <summary>
/// The event-sourced bookkeeping of a member, stored as JSON on the member row: the sequence that last
/// set each field (per-field last-writer-wins), offers with their sequences, and recent alert times
/// (the per-pass notification cap).
/// </summary>
public sealed record EventState(
    IReadOnlyDictionary<string, long> FieldSequences,
    IReadOnlyList<OfferState> Offers,
    IReadOnlyList<DateTimeOffset> AlertTimes)
{
    private const int MaxOfferTombstones = 50;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static EventState Empty { get; } = new(new Dictionary<string, long>(), [], []);

    public IReadOnlyList<MemberOffer> CurrentOffers =>
        Offers.Where(o => !o.Withdrawn).Select(o => new MemberOffer(o.Id, o.Title ?? "", o.Text ?? "", o.ExpiresAt)).ToArray();

    public static EventState Parse(string? json) =>
        string.IsNullOrEmpty(json) ? Empty : JsonSerializer.Deserialize<EventState>(json, Json) ?? Empty;

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public long SequenceOf(string field) => FieldSequences.TryGetValue(field, out var sequence) ? sequence : -1;

    public int AlertsSince(DateTimeOffset since) => AlertTimes.Count(t => t > since);

    public EventState WithAlert(DateTimeOffset at) =>
        this with { AlertTimes = AlertTimes.Where(t => t > at.AddDays(-1)).Append(at).ToArray() };

    /// <summary>Offers become tombstones; sequences stay, so stale events cannot bring erased values back.</summary>
    public EventState Erased() =>
        this with { Offers = Offers.Select(o => o with { Title = null, Text = null, Withdrawn = true }).ToArray() };

    public EventState WithOffer(OfferState offer)
    {
        var others = Offers.Where(o => o.Id != offer.Id);
        var tombstones = others.Where(o => o.Withdrawn).OrderByDescending(o => o.Sequence).Take(MaxOfferTombstones);
        return this with { Offers = others.Where(o => !o.Withdrawn).Concat(tombstones).Append(offer).OrderBy(o => o.Sequence).ToArray() };
    }
}
