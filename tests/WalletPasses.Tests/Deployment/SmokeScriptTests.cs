using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Deployment;

/// <summary>
/// function-host/smoke.sh, the operator's post-deploy check, run against the standalone app on a free port over
/// Azurite (the Functions host cannot run here; the script speaks only the public HTTP contract both hosts serve).
/// </summary>
public sealed class SmokeScriptTests
{
    private static Task<ExternalCommandResult> SmokeAsync(KestrelApp app, string key, string member, int timeoutSeconds) =>
        ExternalCommand.RunAsync(
            RepositoryPaths.Combine("function-host", "smoke.sh"),
            [app.BaseAddress.AbsoluteUri, key],
            new Dictionary<string, string> { ["SMOKE_MEMBER_ID"] = member, ["SMOKE_TIMEOUT_SECONDS"] = timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    [Fact]
    public async Task Passes_against_a_working_deployment_twice_in_a_row()
    {
        await using var app = await KestrelApp.StartAsync("Testing");
        var member = "smoke-" + Guid.NewGuid().ToString("N")[..8];

        var first = await SmokeAsync(app, WalletPassesFactory.BackendKey, member, 60);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("points 0 -> 1", first.Output, StringComparison.Ordinal);

        // The member exists now: a second run moves it on again.
        var second = await SmokeAsync(app, WalletPassesFactory.BackendKey, member, 60);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("points 1 -> 2", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fails_saying_so_when_queued_events_are_not_processed()
    {
        // The queue is filled but nothing drains it: the state of a Functions app whose queue trigger is not running.
        await using var app = await KestrelApp.StartAsync("Testing", new Dictionary<string, string?> { ["WalletPasses:Events:PollQueue"] = "false" });

        var run = await SmokeAsync(app, WalletPassesFactory.BackendKey, "smoke-" + Guid.NewGuid().ToString("N")[..8], 3);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("health ok", run.Output, StringComparison.Ordinal);
        Assert.Contains("still shows 0 points", run.Errors, StringComparison.Ordinal);
        Assert.Contains("queue trigger", run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fails_saying_so_when_the_backend_key_is_wrong()
    {
        await using var app = await KestrelApp.StartAsync("Testing");

        var run = await SmokeAsync(app, "not-the-backend-key", "smoke-" + Guid.NewGuid().ToString("N")[..8], 3);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("answered 401", run.Errors, StringComparison.Ordinal);
        Assert.Contains("backend key", run.Errors, StringComparison.Ordinal);
    }
}
