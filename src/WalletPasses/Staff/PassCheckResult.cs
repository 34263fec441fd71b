using WalletPasses.Members;

namespace WalletPasses.Staff;

/// <summary>The outcome of checking a scanned barcode: valid when <see cref="Reason"/> is null.</summary>
public sealed record PassCheckResult(string? Reason, string? SerialNumber, Member? Member)
{
    public bool Valid => Reason is null;
}
