using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Functions;
using WalletPasses.Jobs;

namespace WalletPasses.Tests.Functions;

/// <summary>
/// The periodic jobs as timer-triggered functions: declared in functions.metadata with the jobs' own NCRONTAB
/// schedules (six fields, seconds first: Microsoft Learn, "Timer trigger for Azure Functions"), one per job the
/// application registers, and runnable as the worker runs them (a <see cref="TimerInfo"/> in).
/// </summary>
public sealed class JobFunctionTests(FunctionsAppFixture functions) : IClassFixture<FunctionsAppFixture>
{
    /// <summary>Function name to NCRONTAB schedule, as functions.metadata declares them.</summary>
    public static Dictionary<string, string> TimerSchedules() =>
        FunctionsBuildOutput.Metadata().EnumerateArray()
            .Select(function => (Name: function.GetProperty("name").GetString()!, Trigger: function.GetProperty("bindings").EnumerateArray().First()))
            .Where(f => f.Trigger.GetProperty("type").GetString() == "timerTrigger")
            .ToDictionary(f => f.Name, f => f.Trigger.GetProperty("schedule").GetString()!);

    [Fact]
    public void Every_job_the_application_registers_has_a_timer_function_with_the_jobs_schedule()
    {
        var jobs = functions.Host.Services.GetServices<IPeriodicJob>().ToList();
        var schedules = TimerSchedules();

        Assert.Equal(jobs.Count, schedules.Count);
        foreach (var job in jobs)
        {
            var schedule = (string)job.GetType().GetField("Schedule")!.GetRawConstantValue()!;
            Assert.Contains(schedule, schedules.Values);
            Assert.Equal(6, schedule.Split(' ').Length);
        }
    }

    /// <summary>
    /// Every timer function runs to completion (the host retries nothing a timer throws: a run that throws is simply lost),
    /// and one run is seen doing its work where an operator looks: the census it takes shows in <c>GET /api/health</c>.
    /// </summary>
    [Fact]
    public async Task Each_timer_function_runs_its_job_to_completion_and_the_census_run_shows_in_health()
    {
        var timers = functions.Function<JobFunctions>();
        var timer = new TimerInfo { ScheduleStatus = new ScheduleStatus { Last = DateTime.UtcNow.AddMinutes(-1), Next = DateTime.UtcNow.AddMinutes(1) } };

        await timers.FinishStaleAnnouncements(timer, CancellationToken.None);
        await timers.RepushUnfetchedDevices(timer, CancellationToken.None);
        await timers.CountDevicesOnLatestVersion(timer, CancellationToken.None);
        await timers.RetryPointsWebhook(timer, CancellationToken.None);
        await timers.SweepExpiredRows(timer, CancellationToken.None);
        await timers.SendDeferredAlerts(timer, CancellationToken.None);
        await timers.ExpireOffers(timer, CancellationToken.None);
        await timers.SyncGoogleClass(timer, CancellationToken.None); // Google Wallet off here: nothing to do, nothing fails
        await timers.BulkReissue(timer, CancellationToken.None);
        await timers.PopupTransitions(timer, CancellationToken.None);

        var standalone = functions.Standalone.Factory;
        standalone.Time.Advance(TimeSpan.FromSeconds(31)); // past health's 30-second cache
        var health = await standalone.CreateClient().GetFromJsonAsync<JsonElement>("/api/health");
        Assert.Equal(JsonValueKind.Object, health.GetProperty("delivery").GetProperty("census").ValueKind);
    }
}
