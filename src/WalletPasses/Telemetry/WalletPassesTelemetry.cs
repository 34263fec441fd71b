using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using WalletPasses.Storage;

namespace WalletPasses.Telemetry;

using Activity = System.Diagnostics.Activity;

/// <summary>
/// The product's traces and metrics: one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named
/// <see cref="Name"/>. Capability code calls the methods here (one line each) and never builds instruments itself.
/// Names follow the OpenTelemetry semantic-conventions style: a <c>walletpasses.</c> namespace, dot-separated
/// lowercase names, UCUM units (<c>s</c>, <c>{event}</c>), and what varies as attributes, not as names.
/// </summary>
public sealed class WalletPassesTelemetry
{
    public const string Name = "WalletPasses";

    /// <summary>Spans of the product's own work: the queue send and processing, APNs pushes.</summary>
    public static readonly ActivitySource Source = new(Name);

    private readonly Counter<long> _eventsAccepted;
    private readonly Counter<long> _eventsProcessed;
    private readonly Histogram<double> _processingLag;
    private readonly Counter<long> _pushes;
    private readonly Counter<long> _googleRequests;
    private readonly Counter<long> _notifications;
    private readonly Counter<long> _alertsHeldBack;
    private readonly Counter<long> _passesSigned;
    private readonly Counter<long> _passCacheLookups;
    private readonly Counter<long> _validations;
    private readonly Counter<long> _callbacksRefused;
    private readonly Gauge<long> _announcementBacklog;
    private readonly Gauge<double> _announcementAge;
    private readonly Counter<long> _reissued;
    private readonly Gauge<double> _publicationProgress;

    // The latest device census this instance read or made: observed, not recorded, so every collection reports it.
    private volatile CensusReading? _census;

    /// <summary>From the host's <see cref="IMeterFactory"/>, so each app (and each test's app) has its own meter.</summary>
    public WalletPassesTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(Name);
        _eventsAccepted = meter.CreateCounter<long>("walletpasses.events.accepted", "{event}", "Loyalty events accepted by POST /api/loyalty-events and put on the queue.");
        _eventsProcessed = meter.CreateCounter<long>("walletpasses.events.processed", "{event}", "Queued loyalty events handled, by walletpasses.event.outcome (applied, unchanged, duplicate, poisoned, retried).");
        _processingLag = meter.CreateHistogram<double>("walletpasses.events.processing.lag", "s", "Time from a loyalty event's message entering the queue to its processing.");
        _pushes = meter.CreateCounter<long>("walletpasses.apns.pushes", "{push}", "APNs pushes, by walletpasses.push.outcome (delivered, device_gone, certificate_rejected, failed).");
        _googleRequests = meter.CreateCounter<long>("walletpasses.google.requests", "{request}", "Requests to the Google Wallet API (each attempt), by http.response.status_code or error.type.");
        _notifications = meter.CreateCounter<long>("walletpasses.notifications", "{notification}", "Pass updates announced, by walletpasses.notification.mode: alert (lock-screen) or silent (over the daily limit).");
        _alertsHeldBack = meter.CreateCounter<long>("walletpasses.notifications.held_back", "{alert}", "Important alerts a platform refused for its notification quota (Google: 3 per pass per 24 hours), held back until it frees, by walletpasses.notification.platform.");
        _passesSigned = meter.CreateCounter<long>("walletpasses.passes.signed", "{pass}", "Apple pass versions built and signed.");
        _passCacheLookups = meter.CreateCounter<long>("walletpasses.pass_cache.lookups", "{lookup}", "Signed-pass cache lookups, by walletpasses.cache.result (hit, miss): the hit rate is hit / all.");
        _validations = meter.CreateCounter<long>("walletpasses.validations", "{validation}", "Staff scans, by walletpasses.validation.result (valid or the refusal reason).");
        _callbacksRefused = meter.CreateCounter<long>("walletpasses.google.callbacks.refused", "{callback}", "Google save/delete callbacks refused, by walletpasses.callback.reason (the verification failure, or keys_unavailable): each one as it happens, where the log writes one line per reason a minute.");
        _announcementBacklog = meter.CreateGauge<long>("walletpasses.announcements.backlog", "{announcement}", "Pass announcements due for another delivery attempt, as the last stale-announcements run found them.");
        _announcementAge = meter.CreateGauge<double>("walletpasses.announcements.oldest_age", "s", "How long the oldest due announcement has been waiting past its due time, at the last run.");
        meter.CreateObservableGauge("walletpasses.devices.current_share", ObserveCensus(c => c.Registered == 0 ? null : (double)c.Current / c.Registered), "1", "Share of registered Apple devices holding their member's latest pass version, at the last complete device census.");
        meter.CreateObservableGauge("walletpasses.devices.registered", ObserveCensus(c => (double?)c.Registered), "{device}", "Apple devices registered for a current pass, at the last complete device census.");
        meter.CreateObservableGauge("walletpasses.devices.current", ObserveCensus(c => (double?)c.Current), "{device}", "Registered Apple devices holding the latest pass version, at the last complete device census.");
        _reissued = meter.CreateCounter<long>("walletpasses.publication.reissue", "{item}", "Bulk re-issue after a template publication, by walletpasses.reissue.item: member (new pass version), device_pushed, delivery_pending.");
        _publicationProgress = meter.CreateGauge<double>("walletpasses.publication.progress", "1", "Share of the program's members the running publication has visited (0 to 1), at its last checkpoint.");
    }

    /// <summary>The producer span of one queued event; its context goes into the message (<see cref="QueueTraceContext"/>).</summary>
    public Activity? StartSend() => Source.StartActivity("send " + StorageNames.LoyaltyEventsQueue, ActivityKind.Producer, parentContext: default, QueueTags("send"));

    /// <summary>
    /// The span of one queued event's processing: a child of the trace that sent it when the message carries one
    /// (<paramref name="sender"/>), linked to the trigger's own span (the Functions invocation, which the host starts
    /// without reading the message); otherwise a child of that trigger span.
    /// </summary>
    public Activity? StartProcessing(ActivityContext? sender)
    {
        if (sender is not { } parent)
        {
            return Source.StartActivity("process " + StorageNames.LoyaltyEventsQueue, ActivityKind.Consumer, parentContext: default, QueueTags("process"));
        }

        ActivityLink[]? links = Activity.Current is { } trigger ? [new ActivityLink(trigger.Context)] : null;
        return Source.StartActivity("process " + StorageNames.LoyaltyEventsQueue, ActivityKind.Consumer, parent, QueueTags("process"), links);
    }

    /// <summary>The span of one round of APNs pushes for a pass version (the HTTP/2 requests are its children).</summary>
    public Activity? StartPush(int devices) =>
        Source.StartActivity("apns push", ActivityKind.Internal, parentContext: default, [new("walletpasses.push.devices", devices)]);

    public void EventsAccepted(int count) => _eventsAccepted.Add(count);

    /// <param name="outcome">applied, unchanged, duplicate, poisoned or retried.</param>
    public void EventProcessed(string outcome)
    {
        _eventsProcessed.Add(1, new KeyValuePair<string, object?>("walletpasses.event.outcome", outcome));
        Activity.Current?.SetTag("walletpasses.event.outcome", outcome);
    }

    /// <param name="insertedOn">When the message entered the queue (the host's or the SDK's <c>InsertionTime</c>); nothing is recorded without it.</param>
    public void ProcessingLag(DateTimeOffset? insertedOn, DateTimeOffset now)
    {
        if (insertedOn is { } inserted)
        {
            _processingLag.Record(Math.Max(0, (now - inserted).TotalSeconds));
        }
    }

    /// <param name="outcome">delivered, device_gone, certificate_rejected or failed.</param>
    public void Pushed(string outcome) => _pushes.Add(1, new KeyValuePair<string, object?>("walletpasses.push.outcome", outcome));

    public void GoogleResponded(HttpStatusCode status) => _googleRequests.Add(1, new KeyValuePair<string, object?>("http.response.status_code", (int)status));

    public void GoogleFailed(Exception exception) => _googleRequests.Add(1, new KeyValuePair<string, object?>("error.type", exception.GetType().FullName));

    /// <summary>An important alert a platform refused for its notification quota, held back until the quota frees.</summary>
    public void AlertHeldBack(string platform) => _alertsHeldBack.Add(1, new KeyValuePair<string, object?>("walletpasses.notification.platform", platform));

    public void Notified(bool silent) => _notifications.Add(1, new KeyValuePair<string, object?>("walletpasses.notification.mode", silent ? "silent" : "alert"));

    public void PassSigned() => _passesSigned.Add(1);

    /// <summary>A callback refused, counted at once: the rate-limited log line tells of the ones it left out only with the next.</summary>
    public void CallbackRefused(string reason) => _callbacksRefused.Add(1, new KeyValuePair<string, object?>("walletpasses.callback.reason", reason));

    public void PassCacheLookup(bool hit) => _passCacheLookups.Add(1, new KeyValuePair<string, object?>("walletpasses.cache.result", hit ? "hit" : "miss"));

    public void Validated(bool valid, string? reason) =>
        _validations.Add(1, new KeyValuePair<string, object?>("walletpasses.validation.result", valid ? "valid" : reason ?? "invalid"));

    /// <param name="dueSince">When each due announcement became due.</param>
    public void AnnouncementsDue(IReadOnlyCollection<DateTimeOffset> dueSince, DateTimeOffset now)
    {
        _announcementBacklog.Record(dueSince.Count);
        _announcementAge.Record(dueSince.Count == 0 ? 0 : Math.Max(0, (now - dueSince.Min()).TotalSeconds));
    }

    /// <summary>The last complete device census (from the census job, or read back from storage by health).</summary>
    public void DevicesCounted(long registered, long current) => _census = new(registered, current);

    private Func<IEnumerable<Measurement<double>>> ObserveCensus(Func<CensusReading, double?> value) =>
        () => _census is { } census && value(census) is { } measured ? [new Measurement<double>(measured)] : [];

    private sealed record CensusReading(long Registered, long Current);

    /// <summary>A checkpoint of the bulk re-issue: members given a new version, devices pushed, members still pending.</summary>
    public void Reissued(int members, int devicesPushed, int pending)
    {
        _reissued.Add(members, new KeyValuePair<string, object?>("walletpasses.reissue.item", "member"));
        _reissued.Add(devicesPushed, new KeyValuePair<string, object?>("walletpasses.reissue.item", "device_pushed"));
        _reissued.Add(pending, new KeyValuePair<string, object?>("walletpasses.reissue.item", "delivery_pending"));
    }

    public void PublicationProgress(long done, long total) => _publicationProgress.Record(total == 0 ? 1 : Math.Min(1, (double)done / total));

    private static KeyValuePair<string, object?>[] QueueTags(string operation) =>
        [new("messaging.operation.type", operation), new("messaging.destination.name", StorageNames.LoyaltyEventsQueue)];
}
