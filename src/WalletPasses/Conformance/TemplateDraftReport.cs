namespace WalletPasses.Conformance;

/// <summary>The body of <c>GET …/template/draft/report</c>: whether the draft may be published, and every problem with its path and fix.</summary>
public sealed record TemplateDraftReport(string ProgramId, string DraftVersion, bool Publishable, int Errors, int Warnings, IReadOnlyList<ConformanceProblem> Problems);
