using System.Net;
using System.Net.Http.Headers;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Hosting;

/// <summary>
/// The built app started from another folder (as ./run.sh starts it from the repository root): it still
/// reads the appsettings.json beside it, so its log levels apply and requests are not logged at Information;
/// and it reads a local.settings.json only when told which (./run.sh names its own).
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

    /// <summary>
    /// A production instance started from a developer's checkout, where ./run.sh left a local.settings.json with
    /// development values, must not take them up: only the file named by WALLETPASSES_LOCAL_SETTINGS is read.
    /// </summary>
    [Fact]
    public async Task A_local_settings_json_in_the_working_directory_is_read_only_when_named()
    {
        var azurite = await AzuriteServer.Shared;
        var folder = TestCertificates.NewFolder();
        const string LocalKey = "local-settings-backend-key-0123456789abcdef";
        var file = Path.Combine(folder, "local.settings.json");
        await File.WriteAllTextAsync(file, $$"""{"IsEncrypted": false, "Values": {"WalletPasses__ApiKeys__Backend__local": "{{LocalKey}}" } }""");

        Assert.Equal(HttpStatusCode.Unauthorized, await MemberLookupWithAsync(new Dictionary<string, string?>(), folder, LocalKey));
        Assert.Equal(HttpStatusCode.NotFound, await MemberLookupWithAsync(new Dictionary<string, string?> { ["WALLETPASSES_LOCAL_SETTINGS"] = file }, folder, LocalKey));

        async Task<HttpStatusCode> MemberLookupWithAsync(Dictionary<string, string?> extra, string workingDirectory, string key)
        {
            var settings = new Dictionary<string, string?>(WalletPassesFactory.SettingsFor(azurite.ConnectionString));
            foreach (var (name, value) in extra)
            {
                settings[name] = value;
            }

            await using var app = await AppProcess.StartAsync(settings, "Staging", workingDirectory: workingDirectory);
            using var http = new HttpClient { BaseAddress = app.BaseAddress };
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/members/nobody-" + Guid.NewGuid().ToString("N"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }
    }
}
