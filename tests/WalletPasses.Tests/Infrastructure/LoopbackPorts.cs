using System.Net;
using System.Net.Sockets;

namespace WalletPasses.Tests.Infrastructure;

/// <summary>
/// Loopback ports for servers a test starts, stops and starts again on the same port (Azurite restarted, an app
/// instance killed and started again, storage started after the app chose its address). A port the kernel handed
/// out for "any free port" (port 0) lies in its ephemeral range, from which it also takes the local port of every
/// outgoing connection: while such a server is down, one of the run's own connections can take its port, and the
/// restart fails with "address already in use". These ports are taken below that range, where the kernel never
/// assigns one by itself, and each is handed out once per test run.
/// </summary>
public static class LoopbackPorts
{
    private const int Lowest = 10_000;
    private static readonly HashSet<int> HandedOut = [];
    private static readonly Lock Gate = new();

    public static int Next()
    {
        var below = EphemeralRangeStart();
        lock (Gate)
        {
            for (var attempt = 0; attempt < 1_000; attempt++)
            {
                var port = Random.Shared.Next(Lowest, below);
                if (!HandedOut.Contains(port) && CanListenOn(port))
                {
                    HandedOut.Add(port);
                    return port;
                }
            }
        }

        throw new InvalidOperationException($"No free loopback port between {Lowest} and {below}.");
    }

    private static bool CanListenOn(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The first port of the kernel's ephemeral range (Linux: <c>net.ipv4.ip_local_port_range</c>, 32768 unless changed).</summary>
    private static int EphemeralRangeStart()
    {
        const string RangeFile = "/proc/sys/net/ipv4/ip_local_port_range";
        var first = File.Exists(RangeFile) ? File.ReadAllText(RangeFile).Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() : null;
        return int.TryParse(first, out var start) && start > Lowest + 1_000 ? start : 32_768;
    }
}
