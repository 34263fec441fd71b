using WalletPasses.Members;

namespace WalletPasses.Events;

/// <summary>
/// The outcome of applying one event to a member's state. <see cref="Silent"/>: the new pass version must
/// not alert, because nothing alert-worthy changed or the member's passes already alerted
/// the maximum number of times in the last 24 hours.
/// </summary>
public sealed record AppliedEvent(MemberProfile Profile, EventState State, bool PassChanged, bool Silent);
