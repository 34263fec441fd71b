using Xunit.Abstractions;

namespace WalletPasses.Tests.Architecture;

/// <summary>
/// The dependency rule of CONTRIBUTING.md: capability folders of src/WalletPasses depend one way (Members is the core
/// others use), and only the composition roots (Hosting, Program) may use everyone. Run it alone with
/// <c>dotnet test WalletPasses.sln -c Release --filter "FullyQualifiedName~Architecture"</c>.
/// </summary>
public sealed class DependencyRuleTests(ITestOutputHelper output)
{
    /// <summary>The composition roots: they wire every capability together, so nothing else may use them.</summary>
    public static readonly IReadOnlySet<string> CompositionRoots = new HashSet<string> { "Hosting", NamespaceDependencyGraph.Program };

    private static readonly Lazy<NamespaceDependencyGraph> Graph = new(() =>
        NamespaceDependencyGraph.Read(typeof(WalletPassesOptions).Assembly.Location, "WalletPasses"));

    [Fact]
    public void No_folder_uses_a_folder_that_uses_it_back()
    {
        var graph = Graph.Value;
        WriteGraph(graph);

        var cycles = graph.CyclesAmong(graph.Folders.ToHashSet());

        Assert.True(cycles.Count == 0, "Folders of src/WalletPasses that use each other (move the shared type to the folder both may use, or invert the call):\n"
            + string.Join("\n", cycles.Select(cycle => Describe(graph, cycle))));
    }

    [Fact]
    public void Only_composition_roots_use_a_composition_root()
    {
        var graph = Graph.Value;

        var offenders = graph.Edges
            .Where(from => !CompositionRoots.Contains(from.Key))
            .SelectMany(from => from.Value.Where(to => CompositionRoots.Contains(to.Key)).Select(to => $"{from.Key} uses {to.Key} ({string.Join(", ", to.Value.Order(StringComparer.Ordinal))})"))
            .ToList();

        Assert.True(offenders.Count == 0, "A capability uses a composition root; move what it needs out of the root (Hosting wires everyone, so this is a cycle):\n"
            + string.Join("\n", offenders));
    }

    [Fact]
    public void The_graph_sees_the_composition_roots_use_every_capability()
    {
        // A reader blind to IL or signatures would pass the rules above vacuously: the shared composition
        // (Hosting/WalletPassesApplication.cs) registers and maps every capability, so it must use all of them.
        var graph = Graph.Value;
        string[] capabilities = ["Apple", "Barcodes", "Delivery", "Events", "Google", "Members", "Security", "Staff", "Storage", "Templates"];

        Assert.All(capabilities, capability => Assert.Contains(capability, graph.Uses("Hosting")));
        Assert.Contains("Hosting", graph.Uses(NamespaceDependencyGraph.Program));
    }

    private static string Describe(NamespaceDependencyGraph graph, IReadOnlyList<string> cycle) =>
        string.Join(" → ", cycle) + "\n" + string.Join("\n", cycle.Zip(cycle.Skip(1)).Select(step =>
            $"  {step.First} uses {step.Second}: {string.Join(", ", graph.Edges[step.First][step.Second].Order(StringComparer.Ordinal).Take(6))}"));

    private void WriteGraph(NamespaceDependencyGraph graph)
    {
        foreach (var folder in graph.Folders.Order(StringComparer.Ordinal))
        {
            output.WriteLine($"{folder} → {string.Join(", ", graph.Uses(folder).Order(StringComparer.Ordinal))}");
            foreach (var used in graph.Uses(folder).Order(StringComparer.Ordinal))
            {
                output.WriteLine($"    {used}: {string.Join(", ", graph.Edges[folder][used].Order(StringComparer.Ordinal))}");
            }
        }
    }
}
