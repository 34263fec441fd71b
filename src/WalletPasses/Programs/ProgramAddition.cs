namespace WalletPasses.Programs;

/// <summary>What <see cref="ProgramRegistry.AddAsync"/> did.</summary>
/// <param name="Created">True when this call added the program; false when it existed, or was refused.</param>
/// <param name="TagTakenBy">The program whose barcode tag the new id would share (<see cref="ProgramTags"/>): nothing was added.</param>
public sealed record ProgramAddition(bool Created, string? TagTakenBy = null);
