using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace WalletPasses.Tests.Infrastructure;

/// <summary>
/// Tells when one app has finished a request to one route, whether or not its client still waits: a test that proves
/// an abandoned request left no trace waits on this, not on a fixed time. ASP.NET Core records
/// <c>http.server.request.duration</c> (meter <c>Microsoft.AspNetCore.Hosting</c>, with the matched <c>http.route</c>) when
/// "the ASP.NET Core handler pipeline has finished executing" and the request's context is disposed
/// (https://learn.microsoft.com/dotnet/core/diagnostics/built-in-metrics-aspnetcore, "Metric: http.server.request.duration").
/// Only the app's own meters are heard (a meter made by its <see cref="IMeterFactory"/> has that factory as its scope),
/// not those of other apps the test run hosts at once.
/// </summary>
public sealed class FinishedRequests : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly IMeterFactory _appMeters;
    private readonly string _route;
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="route">The route pattern as mapped, without its group's prefix (say <c>google/save/{serialNumber}</c>, under /api).</param>
    public FinishedRequests(WalletPassesFactory app, string route)
    {
        _appMeters = app.Services.GetRequiredService<IMeterFactory>();
        _route = route;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == _appMeters && instrument is { Name: "http.server.request.duration", Meter.Name: "Microsoft.AspNetCore.Hosting" })
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            foreach (var (name, value) in tags)
            {
                if (name == "http.route" && value is string matched && matched.EndsWith("/" + _route, StringComparison.Ordinal))
                {
                    _first.TrySetResult();
                }
            }
        });
        _listener.Start();
    }

    /// <summary>Completes when the app has finished the first request to the route since this was created.</summary>
    public Task First => _first.Task;

    public void Dispose() => _listener.Dispose();
}
