namespace WalletPasses.Publishing;

/// <summary>The values of <see cref="PublicationEntity.State"/>.</summary>
public static class PublicationStates
{
    /// <summary>Members are being re-issued.</summary>
    public const string Running = "running";

    /// <summary>Every member has a pass version of this template version.</summary>
    public const string Finished = "finished";

    /// <summary>A newer publication took over before this one finished; it re-issues every member.</summary>
    public const string Superseded = "superseded";

    /// <summary>The program was retired before every member had this version: the rest are never re-issued.</summary>
    public const string Stopped = "stopped";
}
