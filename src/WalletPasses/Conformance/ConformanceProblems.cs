namespace WalletPasses.Conformance;

/// <summary>Collects problems while rules run.</summary>
public sealed class ConformanceProblems
{
    private readonly List<ConformanceProblem> _problems = [];

    public IReadOnlyList<ConformanceProblem> All => _problems;

    public void Error(string path, string message, string fix) => _problems.Add(new(ConformanceSeverity.Error, path, message, fix));

    public void Warning(string path, string message, string fix) => _problems.Add(new(ConformanceSeverity.Warning, path, message, fix));

    public void AddRange(IEnumerable<ConformanceProblem> problems) => _problems.AddRange(problems);

    public ConformanceReport ToReport() => ConformanceReport.Of(_problems);
}
