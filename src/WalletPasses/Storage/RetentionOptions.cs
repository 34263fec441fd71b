namespace WalletPasses.Storage;

/// <summary>
/// Section <c>WalletPasses:Retention</c>: how long records are kept before <see cref="RetentionSweepJob"/> deletes
/// them. Applied-event rows must outlive every redelivery of their event: longer than the queue's message
/// time-to-live (7 days, the Azure default and the longest a <c>loyalty-events</c> message may live per the contract).
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "WalletPasses:Retention";

    /// <summary>The longest a loyalty-events message can be redelivered after it was first processed.</summary>
    public static readonly TimeSpan QueueMessageTimeToLive = TimeSpan.FromDays(7);

    public TimeSpan AppliedEvents { get; set; } = TimeSpan.FromDays(14);

    public TimeSpan Scans { get; set; } = TimeSpan.FromDays(365);

    public TimeSpan DeliveryTrace { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long a loyalty-events message set aside as a blob (<c>loyalty-events-rejected</c>) is kept: it may name a
    /// member, so it goes once the operator has had time to look. The poison queue's messages live 7 days (the queue's
    /// default message time-to-live).
    /// </summary>
    public TimeSpan RejectedEvents { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long a claim on a once-a-day perk (<c>perk|…|day|…</c>) is kept after it was redeemed. Only the claim of the
    /// current day (in <c>Staff:PerkDayTimeZone</c>) is ever read, so it is of no use once that day is over: a day in
    /// any zone ends less than 2 days after any moment of it (at most 25 hours long, offsets within ±14 hours). Not a
    /// setting: shorter would let a perk be redeemed twice in a day, longer keeps a row per member and day for nothing.
    /// </summary>
    public static readonly TimeSpan PerkClaimsOfDay = TimeSpan.FromDays(2);

    /// <summary>Rows one run deletes at most (per kind); the next run carries on from where this one stopped.</summary>
    public int MaxDeletesPerRun { get; set; } = 20_000;

    /// <summary>
    /// How long one run reads one table (wall clock, checked after each page) before leaving the rest to the next
    /// run, which carries on from there (<see cref="ResumableSweep"/>). Four tables' scans a run, so the default keeps
    /// a run within the Functions Consumption plan's 5-minute timeout.
    /// </summary>
    public TimeSpan SweepRunBudget { get; set; } = TimeSpan.FromSeconds(45);
}
