using Azure;
using Azure.Data.Tables;

namespace WalletPasses.Popups;

/// <summary>
/// Table <c>popups</c>, RowKey <see cref="RowKeyValue"/> in the program's partition: the pop-ups passes carry now
/// (<see cref="PopupRules.Retained"/> of the announced and open ones), as of the last change anyone noticed. Every
/// change makes a new <see cref="Revision"/> (ETag-guarded) and a re-issue of the program's passes to it;
/// <see cref="ReissuedRevision"/> is the last revision whose re-issue was started, so a start lost to a crash is made
/// by the next look.
/// </summary>
public sealed class CarriedPopupsEntity : ITableEntity
{
    /// <summary>Sorts after every pop-up id (lowercase hex), so listing pop-ups is <c>RowKey lt '~'</c>.</summary>
    public const string RowKeyValue = "~carried";

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = RowKeyValue;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public long Revision { get; set; }

    public DateTimeOffset ChangedAt { get; set; }

    /// <summary>JSON array of <see cref="Popup"/>s, soonest first.</summary>
    public string PopupsJson { get; set; } = "[]";

    public long ReissuedRevision { get; set; }

    public CarriedPopupSet ToSet() => new(Revision, ChangedAt, PopupRules.FromJson(PopupsJson));
}
