using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Hosting;

/// <summary>
/// A device's refetch pays for no request activity that nothing records (issue 10: the refetch rate). ASP.NET Core starts
/// an <see cref="System.Diagnostics.Activity"/> per request when anything listens to its activity source or diagnostic
/// listener, or when the "Microsoft.AspNetCore.Hosting.Diagnostics" logger is enabled even at Critical (aspnetcore,
/// <c>HostingApplicationDiagnostics.BeginRequest</c>: <c>loggingEnabled = _logger.IsEnabled(LogLevel.Critical)</c>, which
/// also opens a log scope per request); the storage SDK's request then gets a child activity and a <c>traceparent</c>
/// header. appsettings.json turns that logger off, so with tracing off the refetch skips all of it; with tracing on
/// (OTEL_*) the instrumentation listens and requests are traced as before (<see cref="Telemetry.TracingTests"/>). The
/// activity itself cannot be observed here: other tests' tracer providers listen in this process, as OTel would.
/// </summary>
public sealed class RequestActivityTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public void The_hosting_diagnostics_logger_that_would_start_a_request_activity_is_off()
    {
        var loggers = app.Factory.Services.GetRequiredService<ILoggerFactory>();

        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Critical));
        Assert.True(loggers.CreateLogger("Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware").IsEnabled(LogLevel.Error)); // unhandled errors still logged
        Assert.True(loggers.CreateLogger("Microsoft.Extensions.Hosting.Internal.Host").IsEnabled(LogLevel.Error)); // and a failed start ("Hosting failed to start")
    }
}
