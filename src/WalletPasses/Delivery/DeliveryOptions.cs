namespace WalletPasses.Delivery;

/// <summary>Section <c>WalletPasses:Delivery</c>: retrying announcements, and how long delivery records are kept.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "WalletPasses:Delivery";

    /// <summary>A failed push is retried after this, doubling with each failure up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A device pushed for a version that has not asked what changed within this window is pushed once more.</summary>
    public TimeSpan RepushAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long trace rows are gathered in memory before one batched write (keeps trace writes off the refetch path).</summary>
    public TimeSpan TraceFlushDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// An event delivered again leaves an announcement younger than this to the copy that announced it (longer than one
    /// delivery: Google's IssueTimeout and APNs' attempts; shorter than the queue's visibility timeout, after which a
    /// lost instance's message comes back). Past it, or if the announcer died, the retry index finishes it.
    /// </summary>
    public TimeSpan AnnouncerGrace { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>A new device census starts this long after the previous one started (<see cref="DeviceCensusJob"/>).</summary>
    public TimeSpan CensusInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Members the census counts between two saves of its progress (a crash redoes at most this many).</summary>
    public int CensusMembersPerChunk { get; set; } = 500;

    /// <summary>A census run saves and stops after this (wall clock), so a timer invocation stays short; the next run carries on.</summary>
    public TimeSpan CensusRunBudget { get; set; } = TimeSpan.FromSeconds(40);

    /// <summary>Announcements the stale-announcement job finishes per run (several instances share the work).</summary>
    public int MaxPerRun { get; set; } = 50;

    /// <summary>
    /// Members <see cref="OfferExpiryJob"/> takes up per run (each a read, maybe a version and its delivery). An offer
    /// that expires for more members at once leaves their passes over several runs, one a minute: at 200, 12,000 an hour.
    /// </summary>
    public int OfferExpiryMaxPerRun { get; set; } = 200;
}
