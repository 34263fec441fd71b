namespace WalletPasses.Publishing;

/// <summary>A retired program, as the retire route answers it.</summary>
/// <param name="RetiredAt">When it was retired (the first call's time, also when asked again).</param>
public sealed record ProgramRetirementDocument(string ProgramId, DateTimeOffset RetiredAt);
