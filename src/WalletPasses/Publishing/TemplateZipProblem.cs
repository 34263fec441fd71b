namespace WalletPasses.Publishing;

/// <summary>Why an uploaded template zip was refused: the HTTP status and a sentence saying what to fix.</summary>
public sealed record TemplateZipProblem(int Status, string Detail);
