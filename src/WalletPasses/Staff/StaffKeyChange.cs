namespace WalletPasses.Staff;

public enum StaffKeyChange
{
    Done,
    Unknown,
    Exists,

    /// <summary>The name belongs to a key from the settings, which only the settings change.</summary>
    Configured,
}
