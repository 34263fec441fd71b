using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Apple;

/// <summary>
/// A device library identifier is the only secret of Apple's unauthenticated "Get the List of Updatable Passes"
/// call (https://developer.apple.com/documentation/walletpasses/get-the-list-of-updatable-passes): whoever reads
/// it in a log learns which passes the device holds. No log line carries one, whatever the log level.
/// </summary>
public sealed class DeviceIdentifierLoggingTests : IAsyncLifetime, IDisposable
{
    private readonly CapturedLogs _logs = new();
    private WalletPassesFactory _factory = null!;

    public async Task InitializeAsync()
    {
        var azurite = await Infrastructure.AzuriteServer.Shared;
        _factory = new WalletPassesFactory(azurite.ConnectionString)
        {
            ConfigureTestServices = services => services.AddSingleton<ILoggerProvider>(_logs),
        };
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Registering_listing_unregistering_and_a_device_gone_at_APNs_log_no_device_identifier()
    {
        var pass = await InstalledPass.IssueAsync(_factory);
        var staying = new SimulatedDevice(_factory);
        var gone = new SimulatedDevice(_factory);
        await staying.RegisterAsync(pass);
        await gone.RegisterAsync(pass);
        await staying.ListChangedAsync(pass);
        await staying.SendAsync(HttpMethod.Get, pass, $"/v1/devices/{staying.Id}/registrations/{pass.PassTypeIdentifier}?passesUpdatedSince=unreadable");
        SharedApns.Emulator.RespondToToken(gone.PushToken, ApnsReply.UnregisteredSince(_factory.Time.GetUtcNow())); // on the app's clock: after the registration

        await pass.SetPointsAsync(_factory, 4321);
        await staying.UnregisterAsync(pass);

        Assert.Contains(_logs.Entries, entry => entry.Message.Contains("is gone", StringComparison.Ordinal)); // the APNs path did run
        Assert.DoesNotContain(_logs.Entries, entry => entry.Message.Contains(staying.Id, StringComparison.Ordinal) || entry.Message.Contains(gone.Id, StringComparison.Ordinal));
    }
}
