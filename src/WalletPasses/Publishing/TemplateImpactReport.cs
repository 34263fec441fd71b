namespace WalletPasses.Publishing;

/// <summary>The answer of <c>GET /api/programs/{programId}/template/draft/impact</c>: what publishing the draft would do.</summary>
/// <param name="MembersCompared">Members whose passes were built under both templates and compared.</param>
/// <param name="Sampled">True when the program has more members than <see cref="PublishingOptions.ImpactSampleSize"/>: the counts are of the first members by id, not extrapolated.</param>
/// <param name="PassesChanged">Compared passes that would look different.</param>
/// <param name="PassFields">Which pass.json fields (and images) change, and on how many passes.</param>
/// <param name="DevicesToPush">Registered Apple devices of the compared members: every one is pushed once, as every member gets a new pass version.</param>
/// <param name="AlertingPushes">Of those, pushes of a version that shows a lock-screen alert: a field with a changeMessage shows a new value and the member is within the daily alert limit.</param>
/// <param name="AlertFields">The fields whose change alerts.</param>
/// <param name="NotificationCap">Lock-screen alerts allowed per pass per 24 hours (<c>WalletPasses:Notifications:MaxPerDay</c>).</param>
/// <param name="Google">Null without Google Wallet.</param>
public sealed record TemplateImpactReport(
    string ProgramId,
    int MembersCompared,
    bool Sampled,
    int PassesChanged,
    IReadOnlyList<FieldCount> PassFields,
    int DevicesToPush,
    int AlertingPushes,
    IReadOnlyList<string> AlertFields,
    int NotificationCap,
    GoogleImpact? Google);

/// <param name="ClassFieldsChanged">Loyalty class fields the draft changes.</param>
/// <param name="ClassNeedsReview">Any class change sends an approved class back to review (Google's LoyaltyClass reference, reviewStatus: "When updating an already approved class you should keep setting this field to underReview").</param>
/// <param name="ObjectsChanged">Compared members whose loyalty object would change (only those are updated).</param>
/// <param name="ObjectFields">Which object fields change, and on how many objects.</param>
public sealed record GoogleImpact(IReadOnlyList<string> ClassFieldsChanged, bool ClassNeedsReview, int ObjectsChanged, IReadOnlyList<FieldCount> ObjectFields);

public sealed record FieldCount(string Field, int Count);
