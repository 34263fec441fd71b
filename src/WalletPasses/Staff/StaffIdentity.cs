namespace WalletPasses.Staff;

/// <param name="Programs">The programs a limited key works in (null for a key of every program): the staff page refuses
/// other programs' barcodes offline by the program tag they carry.</param>
public sealed record StaffIdentity(string Name, IReadOnlyList<string>? Programs = null);
