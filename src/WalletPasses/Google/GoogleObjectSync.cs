using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using WalletPasses.Members;
using WalletPasses.Notifications;
using WalletPasses.Popups;
using WalletPasses.Storage;
using WalletPasses.Telemetry;
using WalletPasses.Templates;

namespace WalletPasses.Google;

/// <summary>
/// Brings a member's Google Wallet object up to the member's current pass version. The object is inserted
/// on the first sync; later syncs PATCH everything the member shows (idempotent) and add new offers, and a tier
/// change, as messages. Notifications only where Google gives them
/// (https://developers.google.com/wallet/retail/loyalty-cards/use-cases/trigger-push-notifications): a PATCH asks
/// <c>NOTIFY_ON_UPDATE</c> only when the points balance changed (an allow-listed field); a tier change (not
/// allow-listed) is announced by a <c>TEXT_AND_NOTIFY</c> message, and so is a tier alert deferred past quiet hours
/// (a new message replacing the silent one). At most one notification per sync, only for a change the version may
/// alert for (<see cref="MemberPass.Alerts"/>: the notification policy, the budget shared with Apple), and never more than
/// <see cref="NotificationOptions.MaxPerDay"/> per 24 hours as Google counts them (by sending time); if Google still
/// refuses one for its quota (403 <c>quotaExceeded</c>), the same update goes out silently. A refused (or over our count)
/// tier alert, an important one, is not lost: its message shows silently at once and a notifying copy replaces it when
/// Google's quota frees, past quiet hours (<see cref="GoogleObjectEntity.HeldAlertUntil"/>, sent by
/// <see cref="GoogleHeldAlerts"/>), as a full shared budget holds it; Apple, which alerted already, is not told again.
/// An addMessage is never repeated blindly (it is not idempotent): a retry first reads the object and keeps a
/// message an earlier attempt added. One sync at a time writes a member's object, across instances
/// (<see cref="GoogleWriteLease"/>).
/// </summary>
public sealed partial class GoogleObjectSync(
    StorageClients storage,
    ProgramTemplates templates,
    GoogleClassSync classes,
    GoogleWalletClient client,
    GooglePassContent content,
    CarriedPopups popups,
    PassVersionAlerts alerts,
    DeferredAlerts deferredAlerts,
    WalletPassesTelemetry telemetry,
    IOptions<NotificationOptions> notifications,
    TimeProvider time,
    ILogger<GoogleObjectSync> logger)
{
    private const int MaxAttempts = 8;

    // "You may send a maximum of 3 messages that trigger a push notification in a 24 hour period"
    // (https://developers.google.com/wallet/retail/loyalty-cards/use-cases/trigger-push-notifications).
    private const int GoogleNotificationsPerDay = 3;
    private static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.Web);

    // One sync per member at a time in this instance (ETags guard across instances).
    private readonly MemberLocks _memberLocks = new();

    public Task<GoogleObjectEntity?> GetStateAsync(string memberId, CancellationToken cancellationToken) =>
        storage.Members.GetIfExistsAsync<GoogleObjectEntity>(memberId, GoogleObjectEntity.RowKeyValue, cancellationToken);

    /// <summary>Returns once Google shows the member's current version; throws when Google or storage fails.</summary>
    public async Task SyncAsync(string memberId, CancellationToken cancellationToken)
    {
        using (await _memberLocks.EnterAsync(memberId, cancellationToken))
        {
            // The member's program (from the stored key): its template, its class, its pop-ups.
            var programId = content.ProgramOf(memberId);
            var template = await templates.For(programId).GetCurrentAsync(cancellationToken);
            await classes.EnsureCurrentAsync(programId, template, cancellationToken); // objects of a missing class are refused

            // One writer of the member's object across instances, which stops writing before its lease runs out.
            var unanswered = UnansweredGoogleWrites.Track();
            await using var lease = await GoogleWriteLease.AcquireAsync(storage.Members, memberId, time, unanswered, cancellationToken);
            using var writing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.WriteDeadline);
            var token = writing.Token;

            // Survives a lost storage race below, so a repeated write never notifies twice.
            var notified = false;

            // The lease was left by a sync whose write may have landed after its record (or without one): write again.
            var rewrite = lease.TookOverUnanswered;

            // The version this sync last wrote to Google. When its record loses to another sync's (one that took the lease
            // over when ours ran out), that sync's newer version may have landed before ours: an older write is followed
            // by the current one whatever the record says.
            long? wrote = null;
            await ConflictRetry.RunAsync("The Google sync of a member", MaxAttempts, async _ =>
            {
                var row = await storage.Members.GetIfExistsAsync<MemberEntity>(memberId, MemberEntity.RowKeyValue, token);
                if (row is null)
                {
                    return true;
                }

                var member = row.ToMember();
                if (member.Pass.TemplateVersion > template.Number)
                {
                    // A version re-issued with a template published since this instance loaded its own: shown with that
                    // template, never with the older look (which the record would then call synced).
                    template = await templates.For(programId).GetAtLeastAsync(member.Pass.TemplateVersion, token);
                    await classes.EnsureCurrentAsync(programId, template, token);
                }

                var state = await GetStateAsync(memberId, token);
                var issued = state is not null && state.SerialNumber == member.Pass.SerialNumber;
                if (issued && state!.SyncedVersion >= member.Pass.Version && !rewrite && !(wrote < member.Pass.Version)
                    && !(state.HeldAlertUntil <= time.GetUtcNow()))
                {
                    return true;
                }

                if (state is { Voided: false } && !issued)
                {
                    // The member was erased and came back before the old pass was voided on Google.
                    await VoidAsync(programId, state.SerialNumber, token);
                }

                var carried = await popups.GetAtLeastAsync(programId, row.PopupRevision, token);
                var written = await WriteAsync(template, row, carried.For(member.Profile.Tier), issued ? state : null, notified, token);
                notified |= written.Notified;
                if (written.State.HeldAlertUntil is { } heldUntil && heldUntil != state?.HeldAlertUntil)
                {
                    // Due first, then the record: no held-back alert is without its due row.
                    await deferredAlerts.MarkDueAsync(memberId, heldUntil, token, GoogleHeldAlerts.RowKey);
                }

                (rewrite, wrote) = (false, member.Pass.Version);
                written.State.PartitionKey = memberId;

                // Another sync recorded this member meanwhile, maybe an older version after ours: look again.
                return await ConflictRetry.TryWriteAsync(
                    () => state is null
                        ? storage.Members.AddEntityAsync(written.State, token)
                        : storage.Members.UpdateEntityAsync(written.State, state.ETag, TableUpdateMode.Replace, token),
                    StorageConflict.Any);
            });
        }
    }

    private async Task<(GoogleObjectEntity State, bool Notified)> WriteAsync(
        LoadedTemplate template, MemberEntity row, IReadOnlyList<Popup> shownPopups, GoogleObjectEntity? synced, bool notifiedBefore, CancellationToken cancellationToken)
    {
        var member = row.ToMember();
        LoyaltyObject ObjectFor(IEnumerable<MemberOffer> offers) =>
            content.LoyaltyObjectFor(template, member, offers).WithPopups(template.Template, member.Profile.Language, shownPopups);

        var now = time.GetUtcNow();
        if (member.Pass.Voided)
        {
            // Always, even without a record of the object: an insert whose answer was lost may still have reached Google.
            await VoidAsync(content.ProgramOf(member.MemberId), member.Pass.SerialNumber, cancellationToken);
            return (NewState(member, [], [], null, now), false);
        }

        if (synced is null)
        {
            // A new pass: nothing to notify about.
            var offers = member.Offers.TakeLast(GooglePassContent.MaxMessages).ToArray();
            await client.UpsertObjectAsync(ObjectFor(offers), cancellationToken);
            return (NewState(member, offers, [], null, now), false);
        }

        var recentNotifications = Parse<List<DateTimeOffset>>(synced.NotificationsJson).Where(t => t > now.AddDays(-1)).ToList();
        var announce = member.Announcement is not null && member.Announcement != synced.Announcement;

        // A tier alert held back for Google's quota, of the tier the member still has (a newer tier change drops it): when
        // due, decided again (the quota, quiet hours, the preference), and if sent, a notifying copy of the message
        // (an id of its own) replaces the silent one.
        var heldUntil = synced.HeldAlertUntil is { } held && !announce && member.Profile.Tier == synced.Tier && member.Announcement == synced.Announcement ? held : (DateTimeOffset?)null;
        var resend = false;
        if (heldUntil is { } due && due <= now)
        {
            var decision = alerts.DecidePlatformAlert(row, GoogleBudget(recentNotifications, now, refused: false), now);
            resend = decision.Outcome == NotificationOutcome.Send;
            heldUntil = decision.Outcome == NotificationOutcome.Defer ? decision.Until : null;
        }

        var tierChanged = member.Profile.Tier != synced.Tier || announce || resend;
        var tierMessage = tierChanged
            ? content.TierMessage(template, member, notify: false, announce ? member.Pass.Version : null)
            : string.IsNullOrEmpty(synced.TierMessageJson) ? null : JsonSerializer.Deserialize<Message>(synced.TierMessageJson, GoogleWalletJson.Options);
        if (resend && tierMessage is not null)
        {
            // The same for every attempt of this sending (a retry finds what an earlier one added), new for the next.
            tierMessage = tierMessage with { Id = $"{tierMessage.Id}-held-{synced.HeldAlertUntil!.Value.ToUnixTimeSeconds()}" };
        }
        var shown = GooglePassContent.OfferMessagesBeside(member.Offers, tierMessage);
        var sentOffers = Parse<Dictionary<string, string>>(synced.OffersJson);
        var kept = shown.Where(offer => sentOffers.TryGetValue(offer.Id, out var fingerprint) && fingerprint == GooglePassContent.Fingerprint(offer)).ToArray();

        // New messages, the tier announcement first. One an earlier attempt added (its answer lost) stays as it is.
        var toAdd = new List<Message>();
        if (tierChanged && tierMessage is not null)
        {
            toAdd.Add(tierMessage);
        }

        toAdd.AddRange(shown.Except(kept).Select(offer => GooglePassContent.OfferMessage(offer, notify: false)));
        var objectId = content.ObjectIdFor(member.Pass.SerialNumber);
        var alreadyShown = toAdd.Count == 0 ? [] : await MessagesAlreadyShownAsync(objectId, toAdd, cancellationToken);
        if (alreadyShown.Any(message => message.MessageType == MessageType.TextAndNotify))
        {
            // That attempt may have notified the holder: it counts, and this version has had its notification.
            recentNotifications.Add(now);
            notifiedBefore = true;
        }

        var mayNotify = !member.Pass.Silent && !notifiedBefore && recentNotifications.Count < notifications.Value.MaxPerDay;
        var keptMessages = kept.Select(offer => GooglePassContent.OfferMessage(offer, notify: false))
            .Concat(tierChanged || tierMessage is null ? [] : [tierMessage])
            .Concat(alreadyShown.Select(message => message with { MessageType = MessageType.Text }))
            .ToArray();
        var patch = ObjectFor([]) with { Messages = keptMessages };

        // An update has one notification: when its tier changed too, the tier message (the important change) takes it
        // and the points change goes silently, rather than holding the tier alert back for a second notification.
        var tierNotifies = tierChanged && tierMessage is not null && !alreadyShown.Any(message => message.Id == tierMessage.Id)
            && (resend || member.Pass.Alerts.HasFlag(announce ? PassAlerts.Announcement : PassAlerts.Tier));
        bool notified;
        try
        {
            // The messages array replaces the stored one: withdrawn offers and an older tier message go; new messages
            // are added below, one by one, so one of them can notify.
            notified = await SendAsync(mayNotify && !tierNotifies && member.Pass.Alerts.HasFlag(PassAlerts.Points) && member.Profile.Points != synced.Points, notify =>
                client.PatchObjectAsync(notify ? patch with { NotifyPreference = NotifyPreference.NotifyOnUpdate } : patch, cancellationToken)) == Notification.Sent;
        }
        catch (GoogleWalletException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // Google does not have the object (deleted by hand, say): insert it whole, silently.
            var offers = member.Offers.TakeLast(GooglePassContent.MaxMessages).ToArray();
            await client.UpsertObjectAsync(ObjectFor(offers), cancellationToken);
            return (NewState(member, offers, recentNotifications, null, now), false);
        }

        foreach (var message in toAdd.Where(message => !alreadyShown.Any(shownMessage => shownMessage.Id == message.Id)))
        {
            var isTier = message.Id == tierMessage?.Id;
            var alertsFor = isTier ? (announce ? PassAlerts.Announcement : PassAlerts.Tier) : PassAlerts.Offers;
            var wanted = isTier && resend || (!member.Pass.Silent && !notifiedBefore && member.Pass.Alerts.HasFlag(alertsFor));
            var sent = await SendAsync(wanted && !notified && (mayNotify || isTier && resend), notify =>
                client.AddObjectMessageAsync(objectId, message with { MessageType = notify ? MessageType.TextAndNotify : MessageType.Text }, cancellationToken));
            notified |= sent == Notification.Sent;
            if (isTier && wanted && sent != Notification.Sent)
            {
                // The tier alert, an important one, did not go: refused or over Google's quota, or this sync's one
                // notification went to another change. Held back as a full shared budget holds one, never lost.
                var decision = alerts.DecidePlatformAlert(row, GoogleBudget(recentNotifications, now, sent == Notification.Refused), now);
                heldUntil = decision.Outcome switch
                {
                    NotificationOutcome.Defer => decision.Until,
                    NotificationOutcome.Send => now, // the quota allows it: the next run of the job sends it
                    _ => null,
                };
                if (heldUntil is { } until)
                {
                    telemetry.AlertHeldBack(GooglePassNotifier.PlatformName);
                    LogAlertHeldBack(logger, member.MemberId, until);
                }
            }
        }

        if (notified)
        {
            recentNotifications.Add(now);
        }

        return (NewState(member, shown, recentNotifications, tierMessage, now, heldUntil), notified);
    }

    /// <summary>Which of <paramref name="wanted"/> the object already shows, with the same text (as Google has them).</summary>
    private async Task<IReadOnlyList<Message>> MessagesAlreadyShownAsync(string objectId, IReadOnlyList<Message> wanted, CancellationToken cancellationToken)
    {
        var stored = await client.GetObjectAsync(objectId, cancellationToken);
        return [.. (stored?.Messages ?? []).Where(message =>
            wanted.Any(want => want.Id == message.Id && want.Header == message.Header && want.Body == message.Body))];
    }

    /// <summary>
    /// Google's notification budget of the object as this sync sees it: its notifications (by sending time) against the
    /// lesser of the deployment's limit and Google's. One Google <paramref name="refused"/> is full; when the record does
    /// not say so (notifications it does not know of), it frees a day later, by when every one Google counted is out.
    /// </summary>
    private NotificationBudget GoogleBudget(List<DateTimeOffset> recentNotifications, DateTimeOffset now, bool refused)
    {
        var budget = NotificationBudget.Of(recentNotifications, refused ? GoogleNotificationsPerDay : Math.Min(notifications.Value.MaxPerDay, GoogleNotificationsPerDay), now);
        return refused && !budget.Exhausted ? new NotificationBudget(GoogleNotificationsPerDay, GoogleNotificationsPerDay, now.AddDays(1)) : budget;
    }

    /// <returns>Whether Google was asked to notify and accepted, or refused for its quota (the call then made silently).</returns>
    private async Task<Notification> SendAsync(bool notify, Func<bool, Task> send)
    {
        if (!notify)
        {
            await send(false);
            return Notification.NotAsked;
        }

        try
        {
            await send(true);
            return Notification.Sent;
        }
        catch (GoogleWalletException e) when (e.IsNotificationQuota)
        {
            // Past Google's notification quota (3 per pass per 24 h) the call is refused; the update must still arrive.
            // Any other 403 (a missing permission, say) fails the sync and the member stays pending.
            LogNotificationRefused(logger, e.Message);
            await send(false);
            return Notification.Refused;
        }
    }

    private async Task VoidAsync(string programId, string serialNumber, CancellationToken cancellationToken)
    {
        try
        {
            await client.UpdateObjectAsync(content.Voided(programId, serialNumber), cancellationToken);
        }
        catch (GoogleWalletException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // Never reached Google: nothing to void.
        }
    }

    private GoogleObjectEntity NewState(
        Member member, IEnumerable<MemberOffer> offers, List<DateTimeOffset> notificationTimes, Message? tierMessage, DateTimeOffset now, DateTimeOffset? heldAlertUntil = null) => new()
        {
            SerialNumber = member.Pass.SerialNumber,
            ObjectId = content.ObjectIdFor(member.Pass.SerialNumber),
            SyncedVersion = member.Pass.Version,
            Points = member.Profile.Points,
            Tier = member.Profile.Tier,
            Voided = member.Pass.Voided,
            OffersJson = JsonSerializer.Serialize(offers.ToDictionary(offer => offer.Id, GooglePassContent.Fingerprint), StateJson),
            NotificationsJson = JsonSerializer.Serialize(notificationTimes, StateJson),
            TierMessageJson = tierMessage is null ? null : JsonSerializer.Serialize(tierMessage, GoogleWalletJson.Options),
            Announcement = member.Announcement,
            HeldAlertUntil = heldAlertUntil,
            SyncedAt = now,
        };

    private static T Parse<T>(string? json)
        where T : new() =>
        string.IsNullOrEmpty(json) ? new T() : JsonSerializer.Deserialize<T>(json, StateJson) ?? new T();

    [LoggerMessage(LogLevel.Information, "Google refused a notification ({Reason}); the update goes out silently")]
    private static partial void LogNotificationRefused(ILogger logger, string reason);

    [LoggerMessage(LogLevel.Information, "The tier alert of member {MemberId} is over Google's notification quota: its message shows silently, and notifies at {Until}")]
    private static partial void LogAlertHeldBack(ILogger logger, string memberId, DateTimeOffset until);

    private enum Notification
    {
        NotAsked,
        Sent,

        /// <summary>Google refused for its quota (403 <c>quotaExceeded</c>); the call was made again silently.</summary>
        Refused,
    }
}
