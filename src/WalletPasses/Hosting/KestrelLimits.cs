using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace WalletPasses.Hosting;

/// <summary>
/// The Kestrel limits of both hosts: the standalone server, and the Functions worker's own Kestrel, which receives the
/// requests the Functions host forwards.
/// </summary>
public static class KestrelLimits
{
    public const long MaxRequestBodyBytes = 1024 * 1024;

    /// <summary>
    /// A pass is copied into the response whole and flushed once (<see cref="Apple.PkPassContent.WriteToAsync"/>).
    /// With Kestrel's default 64 KB the flush of a 144 KB pass waits until the client has taken all but 64 KB of it, an
    /// asynchronous wait on every download (device-refetch benchmark: 200 path about 10 µs of CPU more per request).
    /// With room for a whole pass the handler completes at once and Kestrel sends on. What it bounds: a client that reads
    /// slowly holds at most this much of the server's memory per connection, and Kestrel's minimum response data rate
    /// still closes one that stops reading.
    /// </summary>
    public const long MaxResponseBufferBytes = 256 * 1024;

    public static void Apply(KestrelServerOptions kestrel)
    {
        kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
        kestrel.Limits.MaxResponseBufferSize = MaxResponseBufferBytes;
    }
}
