using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WalletPasses.Functions;
using WalletPasses.Google;
using WalletPasses.Tests.Google;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Functions;

/// <summary>
/// Under the Functions host nothing may depend on an in-process loop (the host stops an idle worker between
/// invocations): the Google Wallet class follows the template through the <c>SyncGoogleClass</c> timer function,
/// declared in functions.metadata with <see cref="GoogleClassSyncJob.Schedule"/> (NCRONTAB with seconds: Microsoft
/// Learn, "Timer trigger for Azure Functions"). Here with Google Wallet on, against the fixture's Google fake.
/// </summary>
public sealed class GoogleClassFunctionTests(GoogleAppFixture app) : IClassFixture<GoogleAppFixture>
{
    [Fact]
    public void No_background_loop_of_the_app_is_registered_under_the_functions_host_with_google_on()
    {
        var services = FunctionsAppFixture.CreateBuilder(app.Factory.Settings).Services;

        // What each hosted-service registration creates (a factory's lambda declares it as its return type); the
        // worker's own services need the Functions host to resolve, so the registrations are read instead.
        var loops = services.Where(service => service.ServiceType == typeof(IHostedService))
            .Select(service => service.ImplementationType ?? service.ImplementationInstance?.GetType() ?? service.ImplementationFactory?.Method.ReturnType)
            .Where(type => type is not null && typeof(BackgroundService).IsAssignableFrom(type) && type.Assembly == typeof(GoogleClassSync).Assembly)
            .Select(type => type!.Name);

        Assert.Empty(loops);
        Assert.Equal(GoogleClassSyncJob.Schedule, JobFunctionTests.TimerSchedules()["SyncGoogleClass"]);
    }

    [Fact]
    public async Task The_timer_function_creates_the_class_from_the_template_as_the_worker_invokes_it()
    {
        using var host = FunctionsAppFixture.BuildHost(app.Factory.Settings);
        // Nothing has issued a pass and the standalone app's job clock has not moved: no class yet.
        Assert.False(app.Fake.StoredClasses.ContainsKey(GoogleAppFixture.ClassId));

        var timers = ActivatorUtilities.CreateInstance<JobFunctions>(host.Services);
        var timer = new TimerInfo { ScheduleStatus = new ScheduleStatus { Last = DateTime.UtcNow.AddMinutes(-1), Next = DateTime.UtcNow.AddMinutes(1) } };
        await timers.SyncGoogleClass(timer, CancellationToken.None);

        var loyaltyClass = app.Fake.StoredClasses[GoogleAppFixture.ClassId];
        // Sent for review; Google approves it at once (LoyaltyClass.reviewStatus in the discovery document).
        Assert.All(app.ClassWriteBodies(), body => Assert.Equal("UNDER_REVIEW", body["reviewStatus"]!.GetValue<string>()));
        Assert.Equal("APPROVED", loyaltyClass["reviewStatus"]!.GetValue<string>());
        Assert.Equal("Northwind Rewards", loyaltyClass["programName"]!.GetValue<string>());
        Assert.Empty(app.Fake.SchemaErrors);
    }

    // The host cancels a running invocation's token when it drains the instance (scale-in) or stops (azure-webjobs-sdk,
    // Executors/FunctionExecutor.cs: "Requesting cancellation for function invocation" once drain mode is on; the worker
    // hears it as InvocationCancel, azure-functions-host GrpcWorkerChannel), while the worker's own ApplicationStopping
    // has not fired. A class sync cut short that way did not wait in vain for Google: health must not say Google is down.
    [Fact]
    public async Task A_class_sync_the_host_cancels_while_Google_is_slow_does_not_make_Google_look_down()
    {
        using var host = FunctionsAppFixture.BuildHost(app.Factory.Settings);
        var timers = ActivatorUtilities.CreateInstance<JobFunctions>(host.Services);
        var timer = new TimerInfo { ScheduleStatus = new ScheduleStatus { Last = DateTime.UtcNow.AddMinutes(-1), Next = DateTime.UtcNow.AddMinutes(1) } };
        var requestsBefore = app.Fake.ApiRequests.Count;
        app.Fake.Availability = GoogleWalletAvailability.Hanging;
        try
        {
            using var drain = new CancellationTokenSource();
            var sync = timers.SyncGoogleClass(timer, drain.Token);
            await Eventually.HoldsAsync(() => app.Fake.ApiRequests.Count > requestsBefore, "the class sync reaches Google");

            await drain.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sync);
            Assert.Null(host.Services.GetRequiredService<GoogleWalletHealth>().GetSnapshot().Failing);
        }
        finally
        {
            app.Fake.Availability = GoogleWalletAvailability.Up;
        }
    }
}
