using System.IO.Compression;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Deployment;

/// <summary>
/// The zip function-host/package.sh builds (a linux-x64 ReadyToRun publish: about a minute of CPU), built once
/// per test run and unpacked into an empty folder as the Functions host would see it.
/// </summary>
public sealed class DeploymentPackage : IAsyncLifetime
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("walletpasses-package-test-").FullName;

    public ExternalCommandResult Run { get; private set; } = null!;

    public string ZipPath { get; private set; } = "";

    public string Folder => Path.Combine(_scratch, "unpacked");

    public async Task InitializeAsync()
    {
        Run = await ExternalCommand.RunAsync(RepositoryPaths.Combine("function-host", "package.sh"), [Path.Combine(_scratch, "package", "walletpasses-functions.zip")]);
        ZipPath = Run.LastLine;
        if (Run.ExitCode == 0 && File.Exists(ZipPath))
        {
            Directory.CreateDirectory(Folder);
            ZipFile.ExtractToDirectory(ZipPath, Folder);
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_scratch, recursive: true);
        return Task.CompletedTask;
    }
}
