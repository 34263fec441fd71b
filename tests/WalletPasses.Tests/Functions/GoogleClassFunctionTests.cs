using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WalletPasses.Functions;
using WalletPasses.Google;
using WalletPasses.Tests.Google;

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
}
