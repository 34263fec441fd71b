using Microsoft.Extensions.Options;
using WalletPasses.Notifications;
using WalletPasses.Programs;
using WalletPasses.Templates;

namespace WalletPasses.Members;

/// <summary>
/// Stamps a new pass version with what the notification policy allows it to alert for: the one place member
/// updates (PUT), loyalty events and deferred alerts turn changes into alerts, so they share one budget.
/// </summary>
public sealed class PassVersionAlerts(ProgramTemplates templates, DeferredAlerts deferredAlerts, IOptions<NotificationOptions> options, IOptions<WalletPassesOptions> wallet)
{
    /// <summary>
    /// A new version of <paramref name="member"/> (its profile and settings already applied) whose
    /// <paramref name="changes"/> alert as the policy decides; records the alert in the budget and an important alert
    /// that falls in quiet hours as deferred (marked due first). Returns the event state to store with the member.
    /// </summary>
    public async Task<EventState> NewVersionAsync(MemberEntity member, string tierBefore, PassAlerts changes, EventState state, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var template = (await templates.ForMember(member.PartitionKey).GetCurrentAsync(cancellationToken)).Template;
        var settings = options.Value;
        var notifications = member.NotificationSettings();
        var decision = NotificationPolicy.DecideVersion(
            AlertClassification.Of(changes, tierBefore, member.Tier, template),
            notifications.Preference,
            settings.ZoneOf(notifications.TimeZone),
            QuietHoursOf(member),
            Budget(state, now),
            member.Tier,
            now);
        if (decision.Alerts != PassAlerts.None)
        {
            state = state.WithAlert(now);
        }

        if (decision.Deferred is { } deferred)
        {
            await deferredAlerts.MarkDueAsync(member.PartitionKey, deferred.Until, cancellationToken);
            state = state with { Deferred = deferred };
        }
        else if (changes.HasFlag(PassAlerts.Tier))
        {
            state = state with { Deferred = null }; // the tier changed again: an alert still waiting would announce the old one
        }

        if (changes.HasFlag(PassAlerts.Tier))
        {
            // The announcement is of a tier the member no longer has: it leaves the pass, so the next one changes the
            // field's value (Apple) and the synced announcement (Google) even when it names the same tier again.
            member.Announcement = null;
        }

        member.NewPassVersion(now, decision.Alerts, decision.Decisions.Count == 0 ? null : decision.Describe());
        return state;
    }

    /// <summary>
    /// The member's notification settings are now <paramref name="member"/>'s, were <paramref name="before"/>: a deferred
    /// alert falls due when quiet hours end in the member's zone now, not the old one (marked due first). Returns the
    /// event state to store with the member.
    /// </summary>
    public async Task<EventState> SettingsChangedAsync(MemberEntity member, NotificationSettings before, EventState state, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var notifications = member.NotificationSettings();
        if (state.Deferred is not { } deferred || notifications == before)
        {
            return state;
        }

        var until = NotificationPolicy.DeferredUntil(options.Value.ZoneOf(notifications.TimeZone), QuietHoursOf(member), now);
        if (until == deferred.Until)
        {
            return state;
        }

        await deferredAlerts.MarkDueAsync(member.PartitionKey, until, cancellationToken);
        return state with { Deferred = deferred with { Until = until } };
    }

    /// <summary>The member's deferred (important) alert, decided again now that it is due (the member may have changed their preference meanwhile).</summary>
    public NotificationDecision DecideDeferred(MemberEntity member, EventState state, DateTimeOffset now)
    {
        var settings = options.Value;
        var notifications = member.NotificationSettings();
        return NotificationPolicy.Decide(AlertPriority.Important, notifications.Preference, settings.ZoneOf(notifications.TimeZone), QuietHoursOf(member), Budget(state, now), now);
    }

    /// <summary>
    /// An important alert of the member's pass that a platform refused or holds for its own quota
    /// (<paramref name="platformBudget"/>): decided as a full shared budget decides it (wait until it frees, and past
    /// quiet hours), with the member's preference and quiet hours as they are now.
    /// </summary>
    public NotificationDecision DecidePlatformAlert(MemberEntity member, NotificationBudget platformBudget, DateTimeOffset now)
    {
        var notifications = member.NotificationSettings();
        return NotificationPolicy.Decide(AlertPriority.Important, notifications.Preference, options.Value.ZoneOf(notifications.TimeZone), QuietHoursOf(member), platformBudget, now);
    }

    /// <summary>
    /// A template publication's new look (a changed field that has a change message): a routine alert, so the member's
    /// preference, quiet hours and the shared budget apply to it as to a points change.
    /// </summary>
    public NotificationDecision DecideTemplateChange(MemberEntity member, EventState state, DateTimeOffset now)
    {
        var settings = options.Value;
        var notifications = member.NotificationSettings();
        return NotificationPolicy.Decide(AlertPriority.Routine, notifications.Preference, settings.ZoneOf(notifications.TimeZone), QuietHoursOf(member), Budget(state, now), now);
    }

    /// <summary>The quiet hours of the member's program (<c>WalletPasses:Notifications:Programs</c>), else the deployment's.</summary>
    private QuietHours QuietHoursOf(MemberEntity member) => options.Value.QuietHoursOf(ProgramMembers.ProgramOf(member.PartitionKey, wallet.Value.ProgramId));

    private NotificationBudget Budget(EventState state, DateTimeOffset now) => NotificationBudget.Of(state.AlertTimes, options.Value.MaxPerDay, now);
}
