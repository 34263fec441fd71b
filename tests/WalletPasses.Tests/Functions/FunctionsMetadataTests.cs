using System.Diagnostics;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WalletPasses.Events;
using WalletPasses.Functions;
using WalletPasses.Google;
using WalletPasses.Http;
using WalletPasses.Tests.Google;

namespace WalletPasses.Tests.Functions;

/// <summary>
/// The Functions app held to what the host consumes (azure-functions-host: functions.metadata via worker
/// indexing, host.json's <c>extensions.http.routePrefix</c> and <c>extensions.queues</c>), against the standalone
/// host of the same application with every feature on (Google Wallet included).
/// </summary>
public sealed class FunctionsMetadataTests(GoogleAppFixture google) : IClassFixture<GoogleAppFixture>
{
    [Fact]
    public void Every_route_of_the_standalone_host_is_an_http_function_and_every_http_function_a_route_of_it()
    {
        var standalone = FunctionsBuildOutput.StandaloneHttpRoutes(google.Factory.Services);

        Assert.Contains("GET google/save/{serialNumber}", standalone); // the comparison covers the optional features
        Assert.Equal(standalone, FunctionsBuildOutput.HttpRoutes());
    }

    [Fact]
    public void The_functions_app_resolves_every_http_function_to_an_application_endpoint()
    {
        using var host = FunctionsAppFixture.BuildHost(google.Factory.Settings);

        var resolved = host.Services.GetRequiredService<ApiEndpoints>().Routes
            .SelectMany(route => route.Methods.Select(method => $"{method} {route.Route}"))
            .Order(StringComparer.Ordinal);

        Assert.Equal(FunctionsBuildOutput.HttpRoutes(), resolved);
    }

    /// <summary>
    /// The host maps each HTTP function's route with a method constraint of its trigger's methods (none when it lists
    /// none) and tries routes with a literal segment before those with a parameter there (Azure/azure-functions-host,
    /// src/WebJobs.Script.WebHost/WebScriptHostHttpRoutesManager.cs; WebJobsRouteBuilder.RouteComparison). A request no
    /// route function takes (a known route with another method, or an unknown path) must reach the catch-all, which
    /// answers it as the standalone host does (405 with Allow, 404), rather than the host's own empty 404.
    /// </summary>
    [Fact]
    public void One_catch_all_function_of_every_method_comes_after_every_route_function()
    {
        var metadata = FunctionsBuildOutput.Metadata();
        var functions = metadata.EnumerateArray()
            .Select(function => (Name: function.GetProperty("name").GetString(), Trigger: function.GetProperty("bindings").EnumerateArray().First()))
            .Where(function => function.Trigger.GetProperty("type").GetString() == "httpTrigger")
            .ToList();

        var catchAll = Assert.Single(functions, function => FunctionsBuildOutput.Methods(function.Trigger) is null);
        Assert.Equal(UnmatchedRequestFunctions.FunctionName, catchAll.Name);
        Assert.Equal("{*path}", catchAll.Trigger.GetProperty("route").GetString());
        Assert.All(functions.Where(function => function.Name != catchAll.Name), function =>
            Assert.False(function.Trigger.GetProperty("route").GetString()!.StartsWith('{'), $"{function.Name}'s route starts with a parameter: the catch-all could come before it"));
    }

    [Fact]
    public void The_metadata_is_for_the_isolated_worker_and_every_http_function_is_anonymous_to_the_host()
    {
        // The app authenticates every caller itself (backend and staff keys, ApplePass tokens, signed links);
        // a host function key would break Apple's devices and customers' links.
        foreach (var function in FunctionsBuildOutput.Metadata().EnumerateArray())
        {
            Assert.Equal("dotnet-isolated", function.GetProperty("language").GetString());
            var trigger = function.GetProperty("bindings").EnumerateArray().First();
            if (trigger.GetProperty("type").GetString() == "httpTrigger")
            {
                Assert.Equal("Anonymous", trigger.GetProperty("authLevel").GetString(), ignoreCase: true);
            }
        }
    }

    /// <summary>
    /// The host poisons a message of queue <c>q</c> into <c>q-poison</c> (Azure/azure-sdk-for-net,
    /// sdk/storage/Microsoft.Azure.WebJobs.Extensions.Storage.Queues/src/Listeners/QueueListenerFactory.cs:
    /// <c>poisonQueueSuffix = "-poison"</c>, <c>CreatePoisonQueueReference</c>); the app sets aside what can never apply in
    /// its own poison queue, which must be that one, or an operator would find poisoned events in two places.
    /// </summary>
    [Fact]
    public void The_queue_trigger_listens_on_the_loyalty_events_queue_of_the_apps_storage()
    {
        var function = FunctionsBuildOutput.Metadata().EnumerateArray()
            .Single(f => f.GetProperty("name").GetString() == LoyaltyEventFunctions.QueueFunctionName);
        var trigger = function.GetProperty("bindings").EnumerateArray().Single();

        Assert.Equal("queueTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("loyalty-events", trigger.GetProperty("queueName").GetString());
        Assert.Equal("AzureWebJobsStorage", trigger.GetProperty("connection").GetString());
        Assert.Equal(WalletPasses.Storage.StorageNames.LoyaltyEventsPoisonQueue, trigger.GetProperty("queueName").GetString() + "-poison");
    }

    [Fact]
    public void Host_json_has_the_apps_route_prefix_and_poison_threshold_and_no_custom_handler()
    {
        var hostJson = FunctionsBuildOutput.HostJson();

        Assert.Equal("2.0", hostJson.GetProperty("version").GetString());
        Assert.Equal(ApiRoutes.Prefix, hostJson.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.Equal(LoyaltyEventMessages.MaxDequeueCount, hostJson.GetProperty("extensions").GetProperty("queues").GetProperty("maxDequeueCount").GetInt32());
        Assert.Equal("base64", hostJson.GetProperty("extensions").GetProperty("queues").GetProperty("messageEncoding").GetString());
        Assert.False(hostJson.TryGetProperty("customHandler", out _));
    }

    [Fact]
    public async Task Publishing_yields_what_the_host_loads()
    {
        var output = Directory.CreateTempSubdirectory("walletpasses-publish-").FullName;
        try
        {
            var publish = Process.Start(new ProcessStartInfo("dotnet",
                ["publish", Infrastructure.RepositoryPaths.Combine("function-host", "WalletPasses.Functions.csproj"), "-c", FunctionsBuildOutput.Configuration, "--no-build", "--nologo", "-o", output])
            { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var log = await publish.StandardOutput.ReadToEndAsync() + await publish.StandardError.ReadToEndAsync();
            await publish.WaitForExitAsync();
            Assert.True(publish.ExitCode == 0, log);

            foreach (var file in new[] { "host.json", "functions.metadata", "worker.config.json", "extensions.json", "WalletPasses.Functions.dll" })
            {
                Assert.True(File.Exists(Path.Combine(output, file)), $"{file} is missing from the publish folder");
            }

            Assert.NotEmpty(Directory.GetFiles(Path.Combine(output, ".azurefunctions"), "*.dll"));
            Assert.False(File.Exists(Path.Combine(output, "local.settings.json")));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    /// <summary>
    /// The worker is a generic host too (FunctionsApplicationBuilder wraps a HostApplicationBuilder: azure-functions-dotnet-worker,
    /// src/DotNetWorker/Builder/FunctionsApplicationBuilder.cs), so the app's <c>ValidateOnStart</c> checks stop its start
    /// with the standalone host's message naming the setting.
    /// </summary>
    [Fact]
    public void A_wrong_setting_stops_the_workers_start_with_the_standalone_hosts_message()
    {
        using var host = FunctionsAppFixture.BuildHost(Hosting.StartupValidationTests.Settings(new() { ["WalletPasses:PublicBaseUrl"] = "wallet.example.com" }));

        var failure = Assert.ThrowsAny<Exception>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());

        var failures = failure is AggregateException many ? many.InnerExceptions : [failure];
        Assert.All(failures, e => Assert.Contains("WalletPasses:PublicBaseUrl", Assert.IsType<OptionsValidationException>(e).Message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_storage_name_prefix_is_refused_at_start_up_because_the_queue_trigger_names_its_queue()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["WalletPasses:Storage:NamePrefix"] = "tenant1" }).Build();

        var refusal = Assert.Throws<InvalidOperationException>(() => FunctionsComposition.CheckSettings(configuration));

        Assert.Contains("WalletPasses__Storage__NamePrefix must be empty", refusal.Message, StringComparison.Ordinal);
    }
}
