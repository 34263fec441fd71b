namespace WalletPasses.Events;

/// <summary>
/// Section <c>WalletPasses:Events</c>: how <c>POST /api/loyalty-events</c> checks signatures, and how the standalone
/// host polls the <c>loyalty-events</c> queue (the Functions app has a queue trigger instead).
/// </summary>
public sealed class EventsOptions
{
    public const string Section = "WalletPasses:Events";

    /// <summary>When set, every POST /api/loyalty-events must carry a valid <see cref="LoyaltyEventsApi.SignatureHeader"/>.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>How far a signature's timestamp may be from now, either way.</summary>
    public TimeSpan SignatureTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Poll the queue in-process (standalone host only): off when another instance or tool drains it.</summary>
    public bool PollQueue { get; set; } = true;

    /// <summary>How long a received message stays hidden from other receivers while it is processed.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest pause between polls of an empty queue.</summary>
    public TimeSpan MaxIdleDelay { get; set; } = TimeSpan.FromMilliseconds(250);
}
