using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Hosting;

/// <summary>
/// The built app started from another folder (as ./run.sh starts it from the repository root): it still
/// reads the appsettings.json beside it, so its log levels apply and requests are not logged at Information.
/// </summary>
public sealed class WorkingDirectoryTests
{
    [Fact]
    public async Task Started_from_another_folder_the_app_applies_its_own_appsettings_json()
    {
        var azurite = await AzuriteServer.Shared;

        // The new folder it starts in has no appsettings.json and no local.settings.json.
        await using var app = await AppProcess.StartAsync(WalletPassesFactory.SettingsFor(azurite.ConnectionString), "Staging");
        await Eventually.HoldsAsync(() => app.Output.Contains("Storage ready", StringComparison.Ordinal), "the app's own Information log shows");
        app.Kill();

        var log = app.Output;
        Assert.Contains("Storage ready", log, StringComparison.Ordinal); // WalletPasses categories: Information
        Assert.DoesNotContain("Request starting", log, StringComparison.Ordinal); // Microsoft.AspNetCore: Warning
    }
}
