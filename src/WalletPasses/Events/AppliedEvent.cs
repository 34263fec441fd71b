using WalletPasses.Members;
using WalletPasses.Notifications;

namespace WalletPasses.Events;

/// <summary>
/// The outcome of applying one event to a member's state. <see cref="Changes"/>: what changed that may alert (the
/// notification policy decides whether it does); <see cref="Settings"/>: the member's notification settings after it.
/// </summary>
public sealed record AppliedEvent(MemberProfile Profile, EventState State, bool PassChanged, PassAlerts Changes, NotificationSettings Settings);
