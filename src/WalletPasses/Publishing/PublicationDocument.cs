namespace WalletPasses.Publishing;

/// <summary>A publication and the progress of its bulk re-issue, as <c>GET …/template/publications/{publicationId}</c> answers it.</summary>
/// <param name="MembersTotal">Members of the program when the re-issue started; null until its first run counted them.</param>
/// <param name="MembersDone">Members visited (re-issued, found re-issued already, or erased).</param>
/// <param name="MembersReissued">Members given a pass version of this template version by this publication.</param>
/// <param name="DevicesPushed">Apple devices APNs accepted the push for.</param>
/// <param name="DeliveryFailures">Members a platform has not heard from yet when their chunk was checkpointed; the outbox retries them (see each member's delivery trace).</param>
/// <param name="GoogleObjectsUpdated">Members whose Google object changes, announced to Google.</param>
public sealed record PublicationDocument(
    string PublicationId,
    string ProgramId,
    long TemplateVersion,
    string State,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    long? MembersTotal,
    long MembersDone,
    long MembersReissued,
    long DevicesPushed,
    long DeliveryFailures,
    long GoogleObjectsUpdated,
    bool GoogleClassUpdated,
    string StatusUrl)
{
    /// <summary>What made it: <c>template</c> (a template publication) or <c>popups</c> (the pop-ups passes carry changed).</summary>
    public string Cause { get; init; } = PublicationCauses.Template;

    /// <summary>A pop-up publication's revision of the carried pop-ups.</summary>
    public long? PopupRevision { get; init; }

    public static PublicationDocument From(PublicationEntity row) => new(
        row.RowKey,
        row.PartitionKey,
        row.TemplateVersion,
        row.State,
        row.StartedAt,
        row.FinishedAt,
        row.MembersTotal,
        row.MembersDone,
        row.MembersReissued,
        row.DevicesPushed,
        row.DeliveryFailures,
        row.GoogleObjectsUpdated,
        row.GoogleClassDone,
        $"/api/programs/{Uri.EscapeDataString(row.PartitionKey)}/template/publications/{row.RowKey}")
    {
        Cause = row.Cause ?? PublicationCauses.Template,
        PopupRevision = row.IsPopups ? row.PopupRevision : null,
    };
}
