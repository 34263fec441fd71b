using System.Text.Json.Serialization;

namespace WalletPasses.Conformance;

/// <summary>Every problem found, errors first; <see cref="HasErrors"/> decides whether a draft may be published.</summary>
public sealed record ConformanceReport(IReadOnlyList<ConformanceProblem> Problems)
{
    public bool HasErrors => Problems.Any(problem => problem.Severity == ConformanceSeverity.Error);

    public int Errors => Problems.Count(problem => problem.Severity == ConformanceSeverity.Error);

    public int Warnings => Problems.Count(problem => problem.Severity == ConformanceSeverity.Warning);

    [JsonIgnore]
    public IEnumerable<string> Paths => Problems.Select(problem => problem.Path);

    public static ConformanceReport Of(IEnumerable<ConformanceProblem> problems) =>
        new(problems.Distinct().OrderBy(problem => problem.Severity).ToArray());
}
