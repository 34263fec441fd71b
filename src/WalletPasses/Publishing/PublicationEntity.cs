using System.Runtime.Serialization;
using Azure;
using Azure.Data.Tables;

namespace WalletPasses.Publishing;

/// <summary>
/// Table <c>publications</c>: PartitionKey = program id, RowKey = publication id. One publication of a template
/// version and the checkpoint of its bulk re-issue: members are visited in member-id order, and <see cref="Cursor"/>
/// (the last member id done) and the counters move together in one ETag-guarded write per chunk, so a chunk a
/// crashed instance left half done is redone whole and counted once.
/// </summary>
public sealed class PublicationEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>What made this publication (<see cref="PublicationCauses"/>); null on rows stored before pop-ups: a template.</summary>
    public string? Cause { get; set; }

    /// <summary>A pop-up publication: the revision of the carried pop-ups every pass is brought to.</summary>
    public long PopupRevision { get; set; }

    [IgnoreDataMember]
    public bool IsPopups => Cause == PublicationCauses.Popups;

    /// <summary>The template version this publication made (a pop-up publication: the version current when it started) (<see cref="Templates.TemplatePointer.Number"/>).</summary>
    public long TemplateVersion { get; set; }

    /// <summary>The publication whose version was current before (null: version 0).</summary>
    public string? PreviousPublicationId { get; set; }

    /// <summary>The draft's template.json ETag that was published: publishing the same draft again answers this publication.</summary>
    public string DraftETag { get; set; } = "";

    public string State { get; set; } = PublicationStates.Running;

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>The last member id re-issued (member ids are visited in order); null before the first chunk.</summary>
    public string? Cursor { get; set; }

    /// <summary>Members of the program when the re-issue started (counted by the first run); null until then.</summary>
    public long? MembersTotal { get; set; }

    public long MembersDone { get; set; }

    /// <summary>Members who got a new pass version from this publication (the rest had one already, or were erased).</summary>
    public long MembersReissued { get; set; }

    public long DevicesPushed { get; set; }

    /// <summary>Members some platform has not heard from yet (the outbox retries them; see the delivery trace).</summary>
    public long DeliveryFailures { get; set; }

    public long GoogleObjectsUpdated { get; set; }

    /// <summary>The Google class was brought in line with the template version (once per publication).</summary>
    public bool GoogleClassDone { get; set; }

    /// <summary>Until when a run holds the re-issue; another run starts only after it.</summary>
    public DateTimeOffset LeaseUntil { get; set; }

    [IgnoreDataMember]
    public bool IsRunning => State == PublicationStates.Running;
}
