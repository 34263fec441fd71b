namespace WalletPasses.Tests.Infrastructure;

/// <summary>
/// One app per test class over an Azurite of its own, on disk: a test may stop it (an outage) or restart it on the
/// same folder and ports (<see cref="AzuriteServer.RestartAsync"/>) without touching any other test's storage. A fixture
/// that needs settings of its own derives from it.
/// </summary>
public class OwnAzuriteFixture : AppFixture
{
    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Azurite.DisposeAsync();
    }

    protected override Task<AzuriteServer> StartAzuriteAsync() => AzuriteServer.StartAsync(TestCertificates.NewFolder());
}
