using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;

/// <summary>
/// Loaded by the runtime before <c>Main</c> when named in <c>DOTNET_STARTUP_HOOKS</c> (runtime docs, "host startup
/// hook": a type named StartupHook outside any namespace with a static Initialize method). Appends one line per
/// start-up phase to the file named by <c>STARTUP_PHASES_FILE</c>: the phase, the monotonic clock
/// (<see cref="Stopwatch.GetTimestamp"/>, the same clock in every process on Linux, so the benchmark subtracts
/// its own reading taken just before starting the process), the process's CPU time so far, the number of
/// methods JIT-compiled so far and the time spent compiling them. Phases: the hook itself (the runtime is up, Main is next), the host's
/// HostBuilding/HostBuilt diagnostic events (start and end of <c>builder.Build()</c>), and ASP.NET Core's hosting
/// event source: host start, server ready (listening), and the first request's start and stop.
/// </summary>
internal static class StartupHook
{
    private static readonly string? File = Environment.GetEnvironmentVariable("STARTUP_PHASES_FILE");
    private static readonly Lock Gate = new();
    private static HostingEvents? _events;
    private static int _requestsSeen;

    public static void Initialize()
    {
        if (File is null)
        {
            return;
        }

        Mark("main");
        DiagnosticListener.AllListeners.Subscribe(new ListenerObserver());
        _events = new HostingEvents();
    }

    private static void Mark(string phase)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{phase} {Stopwatch.GetTimestamp()} {Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds:F0} {System.Runtime.JitInfo.GetCompiledMethodCount()} {System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds:F0}\n");
        lock (Gate)
        {
            System.IO.File.AppendAllText(File!, line);
        }
    }

    /// <summary>Microsoft.Extensions.Hosting's DiagnosticListener writes HostBuilding and HostBuilt around Build().</summary>
    private sealed class ListenerObserver : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == "Microsoft.Extensions.Hosting")
            {
                value.Subscribe(this);
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key is "HostBuilding" or "HostBuilt")
            {
                Mark(value.Key == "HostBuilding" ? "build" : "built");
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }

    /// <summary>The "Microsoft.AspNetCore.Hosting" event source: HostStart, ServerReady, RequestStart, RequestStop.</summary>
    private sealed class HostingEvents : EventListener
    {
        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft.AspNetCore.Hosting")
            {
                EnableEvents(eventSource, EventLevel.Informational);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            switch (eventData.EventName)
            {
                case "HostStart":
                    Mark("host-start");
                    break;
                case "ServerReady":
                    Mark("listening");
                    break;
                case "RequestStart" when Volatile.Read(ref _requestsSeen) == 0:
                    Mark("request");
                    break;
                case "RequestStop" when Interlocked.Increment(ref _requestsSeen) == 1:
                    Mark("answered");
                    break;
            }
        }
    }
}
