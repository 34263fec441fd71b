using System.Diagnostics;
using WalletPasses.Tests.Apple;

namespace WalletPasses.Benchmarks;

/// <summary>
/// APNs fan-out to the loopback emulator (HTTP/2 over TLS with a client certificate): pushes per second
/// through ApnsClient. The emulator shares the machine's two cores with the client, so the figure is a
/// floor for what the client does against Apple.
/// </summary>
public static class ApnsFanOutBenchmark
{
    private const int Pushes = 20_000;

    public static async Task RunAsync(string[] args)
    {
        await using var emulator = await ApnsEmulator.StartAsync();
        using var client = ApnsTestClients.Create(emulator);
        var tokens = Enumerable.Range(0, Pushes).Select(ApnsTestClients.Token).ToArray();
        await client.PushManyAsync(tokens.Take(500), ApnsTestCertificates.PassTypeIdentifier); // warm the connection

        var stopwatch = Stopwatch.StartNew();
        var outcomes = await client.PushManyAsync(tokens, ApnsTestCertificates.PassTypeIdentifier);
        var clientRate = Pushes / stopwatch.Elapsed.TotalSeconds;
        var delivered = outcomes.Count(o => o.Result is WalletPasses.Apple.Apns.ApnsPushResult.Delivered);

        Console.WriteLine("== APNs fan-out (loopback emulator, HTTP/2 + TLS client certificate) ==");
        Console.WriteLine($"ApnsClient.PushManyAsync:               {clientRate,10:N0} /s   ({delivered:N0} of {Pushes:N0} delivered; target >= 5,000 /s)");
        Console.WriteLine($"connections used:                       {emulator.Pushes.Select(p => p.ConnectionId).Distinct().Count(),10:N0}");
    }
}
