namespace WalletPasses.Programs;

/// <summary>The outcome of retiring a program.</summary>
public enum ProgramRetirementOutcome
{
    /// <summary>The program is retired (now, or it already was).</summary>
    Retired,

    /// <summary>The deployment has no program of that id.</summary>
    UnknownProgram,

    /// <summary>The deployment's default program (<c>WalletPasses:ProgramId</c>), which is never retired.</summary>
    DefaultProgram,
}
