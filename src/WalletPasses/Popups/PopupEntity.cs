using Azure;
using Azure.Data.Tables;

namespace WalletPasses.Popups;

/// <summary>Table <c>popups</c>: PartitionKey = program id, RowKey = pop-up id (lowercase hex). One pop-up as the backend set it.</summary>
public sealed class PopupEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Name { get; set; } = "";

    public string Address { get; set; } = "";

    public double Latitude { get; set; }

    public double Longitude { get; set; }

    public DateTimeOffset OpensAt { get; set; }

    public DateTimeOffset ClosesAt { get; set; }

    /// <summary>The tiers it is for, comma-separated (tier ids have no commas); empty: every member.</summary>
    public string Tiers { get; set; } = "";

    public string RelevantText { get; set; } = "";

    /// <summary>The offset opensAt and closesAt were given with (Table Storage keeps dates in UTC), so answers show them as sent.</summary>
    public int OffsetMinutes { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public Popup ToPopup()
    {
        var offset = TimeSpan.FromMinutes(OffsetMinutes);
        return new Popup(RowKey, Name, Address, Latitude, Longitude, OpensAt.ToOffset(offset), ClosesAt.ToOffset(offset),
            Tiers.Length == 0 ? [] : Tiers.Split(','), RelevantText);
    }

    public static PopupEntity From(string programId, Popup popup) => new()
    {
        PartitionKey = programId,
        RowKey = popup.Id,
        Name = popup.Name,
        Address = popup.Address,
        Latitude = popup.Latitude,
        Longitude = popup.Longitude,
        OpensAt = popup.OpensAt,
        ClosesAt = popup.ClosesAt,
        Tiers = string.Join(',', popup.Tiers),
        RelevantText = popup.RelevantText,
        OffsetMinutes = (int)popup.OpensAt.Offset.TotalMinutes,
    };
}
