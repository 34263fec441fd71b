namespace WalletPasses.Staff;

/// <summary>The body of <c>POST /api/validations</c>; <paramref name="PopupId"/>: the pop-up the scan happens at (the staff page picks it from <c>GET /api/staff/popups</c>).</summary>
public sealed record ValidationInput(string? Barcode, string? Location = null, string? PopupId = null);
