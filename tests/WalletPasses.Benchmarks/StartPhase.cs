using System.Diagnostics;
using System.Globalization;

namespace WalletPasses.Benchmarks;

/// <summary>
/// The end of one start-up phase as the startup hook (tests/WalletPasses.Benchmarks.StartupTimings) wrote it:
/// milliseconds since the benchmark started the process, the process's CPU milliseconds, methods JIT-compiled and the milliseconds spent compiling them.
/// </summary>
public sealed record StartPhase(string Name, double Milliseconds, double CpuMilliseconds, int JitCompiledMethods, double JitMilliseconds)
{
    /// <summary>The environment variable naming the file the hook appends to.</summary>
    public const string FileVariable = "STARTUP_PHASES_FILE";

    /// <summary>The phases in the order they end, with what has happened by then.</summary>
    public static readonly IReadOnlyList<(string Name, string Description)> Names =
    [
        ("main", "runtime up (Main next)"),
        ("build", "services registered (builder.Build() starts)"),
        ("built", "service provider built"),
        ("host-start", "routes mapped, hosted services started"),
        ("listening", "request pipeline built, Kestrel listening"),
        ("request", "first request arrives"),
        ("answered", "first request answered"),
    ];

    /// <summary>Reads the hook's file once the first answer is in it (the hook writes it just after the answer is sent).</summary>
    public static async Task<IReadOnlyList<StartPhase>> ReadAsync(string file, long processStartedAt)
    {
        var deadline = Stopwatch.StartNew();
        string[] lines = [];
        while (deadline.Elapsed < TimeSpan.FromSeconds(5))
        {
            lines = File.Exists(file) ? await File.ReadAllLinesAsync(file) : [];
            if (lines.Any(line => line.StartsWith("answered ", StringComparison.Ordinal)))
            {
                break;
            }

            await Task.Delay(20);
        }

        return
        [
            .. lines.Select(line => line.Split(' ')).Select(fields => new StartPhase(
                fields[0],
                Stopwatch.GetElapsedTime(processStartedAt, long.Parse(fields[1], CultureInfo.InvariantCulture)).TotalMilliseconds,
                double.Parse(fields[2], CultureInfo.InvariantCulture),
                int.Parse(fields[3], CultureInfo.InvariantCulture),
                double.Parse(fields[4], CultureInfo.InvariantCulture))),
        ];
    }
}
