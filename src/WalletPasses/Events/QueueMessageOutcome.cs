namespace WalletPasses.Events;

public enum QueueMessageOutcome
{
    /// <summary>Handled (applied, duplicate, or moved to the poison queue): remove the message.</summary>
    Done,

    /// <summary>A transient failure: leave the message so it is delivered again.</summary>
    Retry,
}
