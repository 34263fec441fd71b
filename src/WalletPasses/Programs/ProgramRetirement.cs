namespace WalletPasses.Programs;

/// <summary>What <see cref="ProgramRegistry.RetireAsync"/> did.</summary>
/// <param name="RetiredAt">When the program was retired (by this call or an earlier one); null unless <see cref="ProgramRetirementOutcome.Retired"/>.</param>
public sealed record ProgramRetirement(ProgramRetirementOutcome Outcome, DateTimeOffset? RetiredAt);
