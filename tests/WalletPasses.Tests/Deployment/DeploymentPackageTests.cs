using System.Text;
using System.Text.Json;
using WalletPasses.Functions;
using WalletPasses.Tests.Functions;
using WalletPasses.Tests.Google;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Deployment;

/// <summary>
/// The package an operator deploys (function-host/package.sh), read as the Functions host reads a deployed
/// app: functions.metadata for the functions (worker indexing), worker.config.json for the worker to start
/// (azure-functions-host RpcWorkerConfigFactory reads <c>description.defaultWorkerPath</c> relative to the
/// worker folder, here the package root), host.json, and .azurefunctions/ for the extensions.
/// </summary>
public sealed class DeploymentPackageTests(DeploymentPackage package, GoogleAppFixture google)
    : IClassFixture<DeploymentPackage>, IClassFixture<GoogleAppFixture>
{
    private static readonly string[] KeyMaterialExtensions = [".p12", ".pfx", ".pem", ".key"];

    private void AssertPackaged() => Assert.True(package.Run.ExitCode == 0 && File.Exists(package.ZipPath), package.Run.ToString());

    [Fact]
    public void The_script_prints_the_zip_path_last_and_the_zip_holds_what_the_host_loads()
    {
        AssertPackaged();
        Assert.EndsWith(".zip", package.ZipPath, StringComparison.Ordinal);
        foreach (var file in new[] { "host.json", "functions.metadata", "worker.config.json", "extensions.json" })
        {
            Assert.True(File.Exists(Path.Combine(package.Folder, file)), $"{file} is missing from the package root");
        }

        Assert.NotEmpty(Directory.GetFiles(Path.Combine(package.Folder, ".azurefunctions"), "*.dll"));
        Assert.Equal(
            File.ReadAllText(RepositoryPaths.Combine("function-host", "host.json")),
            File.ReadAllText(Path.Combine(package.Folder, "host.json")));
    }

    [Fact]
    public void Every_route_the_standalone_host_serves_is_a_function_declared_in_the_package_and_so_is_the_queue_trigger()
    {
        AssertPackaged();
        var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(package.Folder, "functions.metadata"))).RootElement;

        var standalone = FunctionsBuildOutput.StandaloneHttpRoutes(google.Factory.Services);
        Assert.Contains("GET google/save/{serialNumber}", standalone); // Google Wallet on: the optional routes count too
        Assert.Equal(standalone, FunctionsBuildOutput.HttpRoutes(metadata));
        Assert.Contains(metadata.EnumerateArray(), function => function.GetProperty("name").GetString() == LoyaltyEventFunctions.QueueFunctionName);
    }

    [Fact]
    public void The_worker_named_in_worker_config_is_in_the_package_compiled_ahead_of_time_for_linux_x64()
    {
        AssertPackaged();
        var description = JsonDocument.Parse(File.ReadAllText(Path.Combine(package.Folder, "worker.config.json"))).RootElement.GetProperty("description");
        Assert.Equal("dotnet-isolated", description.GetProperty("language").GetString());

        var worker = Path.Combine(package.Folder, description.GetProperty("defaultWorkerPath").GetString()!);
        Assert.True(File.Exists(worker), $"{worker} named by worker.config.json is not in the package");
        Assert.True(File.Exists(Path.ChangeExtension(worker, ".runtimeconfig.json")), "the worker's runtimeconfig.json is missing");

        // ReadyToRun images carry a ManagedNativeHeader in their CLI header; IL-only assemblies do not.
        using var reader = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(worker));
        Assert.NotNull(reader.PEHeaders.CorHeader);
        Assert.True(reader.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, "the worker is not ReadyToRun-compiled");
        // A ReadyToRun image's COFF machine is the architecture XOR a target-OS constant, Linux 0x7B79
        // (dotnet/runtime docs/design/coreclr/botr/readytorun-format.md, MachineOSOverride): x64 for Linux.
        Assert.Equal((ushort)System.Reflection.PortableExecutable.Machine.Amd64 ^ 0x7B79, (int)reader.PEHeaders.CoffHeader.Machine);
    }

    [Fact]
    public void No_local_settings_certificate_key_file_or_development_secret_is_in_the_package()
    {
        AssertPackaged();
        var files = Directory.GetFiles(package.Folder, "*", SearchOption.AllDirectories);
        var directories = Directory.GetDirectories(package.Folder, "*", SearchOption.AllDirectories);

        Assert.DoesNotContain(files, file => Path.GetFileName(file).StartsWith("local.settings", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(files, file => KeyMaterialExtensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase));
        Assert.DoesNotContain(directories, directory => Path.GetFileName(directory) == ".dev-certs");

        // The development secrets as the example settings carry them (UTF-8, how any settings file would hold them).
        foreach (var secret in DevelopmentSecrets())
        {
            var bytes = Encoding.UTF8.GetBytes(secret);
            var holder = files.FirstOrDefault(file => File.ReadAllBytes(file).AsSpan().IndexOf(bytes) >= 0);
            Assert.True(holder is null, $"the development secret '{secret}' is inside {holder}");
        }
    }

    /// <summary>Keys, passwords and signing secrets of local.settings.example.json that have a value.</summary>
    private static IEnumerable<string> DevelopmentSecrets() =>
        AppSettingNames.Example()
            .Where(setting => setting.Key.Contains("__ApiKeys__", StringComparison.Ordinal)
                || setting.Key.EndsWith("Secret", StringComparison.Ordinal)
                || setting.Key.EndsWith("Password", StringComparison.Ordinal))
            .Select(setting => setting.Value)
            .Where(value => value.Length > 0);
}
