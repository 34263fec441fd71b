namespace WalletPasses.Events;

public enum EventOutcome
{
    /// <summary>The pass changed; its announcement was delivered (or is pending a retry).</summary>
    Applied,

    /// <summary>Recorded, but newer events had already set everything it carries (or nothing changed).</summary>
    Unchanged,

    /// <summary>This eventId took effect before (whatever of its announcement was still pending is finished now).</summary>
    Duplicate,

    /// <summary>No such member yet: the event cannot apply now (the member may be being created).</summary>
    UnknownMember,

    /// <summary>The member was erased: the event must never apply, not even to a member created again under the id.</summary>
    ErasedMember,
}
