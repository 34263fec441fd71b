namespace WalletPasses.Members;

public enum UpsertOutcome
{
    Created,
    Replaced,

    /// <summary>The profile was already the stored one: no new pass version, nobody to tell.</summary>
    Unchanged,
}
