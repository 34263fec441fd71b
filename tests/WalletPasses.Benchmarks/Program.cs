using WalletPasses.Benchmarks;

// Benchmarks report ratios against a reference measured in the same run on the same machine,
// because absolute timings on shared machines are noise.
var suites = new Dictionary<string, Func<string[], Task>>(StringComparer.OrdinalIgnoreCase)
{
    ["pass-generation"] = PassGenerationBenchmark.RunAsync,
    ["apns-fanout"] = ApnsFanOutBenchmark.RunAsync,
    ["device-refetch"] = DeviceRefetchBenchmark.RunAsync,
    ["event-pipeline"] = EventPipelineBenchmark.RunAsync,
    ["event-profile"] = EventCostProfile.RunAsync,
    ["cold-start"] = ColdStartBenchmark.RunAsync,
    ["device-census"] = DeviceCensusBenchmark.RunAsync,
    ["bulk-reissue"] = BulkReissueBenchmark.RunAsync,
};

// WebApplicationFactory finds the app's content root through a manifest only test projects get.
Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_WALLETPASSES", AppContext.BaseDirectory);

var selected = args.Length == 0 ? suites.Keys.ToArray() : args.TakeWhile(a => !a.StartsWith('-')).ToArray();
foreach (var name in selected)
{
    if (!suites.TryGetValue(name, out var run))
    {
        Console.Error.WriteLine($"Unknown benchmark '{name}'. Available: {string.Join(", ", suites.Keys)}");
        return 2;
    }

    await run(args);
}

return 0;
