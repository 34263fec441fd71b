using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using WalletPasses.Tests.Apple;

namespace WalletPasses.Tests.Infrastructure;

/// <summary>The real app over a real Azurite, configured the way an operator would, with a controllable clock.</summary>
public sealed class WalletPassesFactory : WebApplicationFactory<Program>
{
    public const string BackendKey = "test-backend-key-0001";
    public const string StaffKey = "test-staff-key-0001";
    public const string PublicBaseUrl = "https://wallet.test";

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>This app's own tables, queues and containers in the shared Azurite: tests never see each other's events.</summary>
    public string StoragePrefix { get; } = "t" + Guid.NewGuid().ToString("N")[..10];

    private readonly string _environment;

    public WalletPassesFactory(string connectionString, IDictionary<string, string?>? overrides = null, string environment = "Testing")
    {
        _environment = environment;
        // Built here, not while the host builds: the shared APNs emulator is itself a web host, and one
        // started inside this factory's host construction would be taken for the app under test.
        Settings = SettingsFor(connectionString, overrides, StoragePrefix);
    }

    public IReadOnlyDictionary<string, string?> Settings { get; }

    /// <summary>Extra registrations on top of the app's own (for example a recording pass-change notifier).</summary>
    public Action<IServiceCollection>? ConfigureTestServices { get; init; }

    public HttpClient CreateBackendClient() => CreateClientWithKey(BackendKey);

    public HttpClient CreateStaffClient() => CreateClientWithKey(StaffKey);

    public HttpClient CreateClientWithKey(string key)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri(PublicBaseUrl) });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);

        // As host settings they are visible while Program registers services (it decides there whether Google
        // Wallet is on); as app configuration they win over local settings and environment variables.
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(Settings));
        builder.ConfigureServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time));
            ConfigureTestServices?.Invoke(services);
        });
    }

    /// <summary>The settings a test app runs with (also for an app started as its own process); <paramref name="storagePrefix"/> null: a new one.</summary>
    public static Dictionary<string, string?> SettingsFor(string connectionString, IDictionary<string, string?>? overrides = null, string? storagePrefix = null)
    {
        var files = Infrastructure.TestCertificates.Files;
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = connectionString,
            ["WalletPasses:Storage:NamePrefix"] = storagePrefix ?? "t" + Guid.NewGuid().ToString("N")[..10],
            ["WalletPasses:PublicBaseUrl"] = PublicBaseUrl,
            ["WalletPasses:SigningSecret"] = "test-signing-secret-0123456789-0123456789",
            ["WalletPasses:ApiKeys:Backend:tests"] = BackendKey,
            ["WalletPasses:ApiKeys:Staff:tests"] = StaffKey,
            ["WalletPasses:Apple:CertificateFile"] = files.PassCertificate,
            ["WalletPasses:Apple:CertificatePassword"] = Infrastructure.TestCertificates.Password,
            ["WalletPasses:Apple:WwdrCertificateFile"] = files.Wwdr,
            ["WalletPasses:Barcode:SigningKeyFile"] = files.BarcodeSigningKey,
            // Pushes go to the run's APNs emulator, which trusts the test PKI's pass certificate.
            ["WalletPasses:Apple:ApnsBaseUrl"] = SharedApns.Emulator.BaseUrl.AbsoluteUri,
            ["WalletPasses:Apple:ApnsTrustedRootFile"] = SharedApns.Emulator.CertificateAuthorityPemFile,
            ["WalletPasses:Apple:ApnsMaxAttempts"] = "2",
            ["WalletPasses:Apple:ApnsInitialRetryDelay"] = "00:00:00.050",
            ["WalletPasses:Apple:ApnsRequestTimeout"] = "00:00:05",
            // No quiet hours unless a test asks for them: the factory's clock starts at the real time of day.
            ["WalletPasses:Notifications:QuietHoursStart"] = "00:00",
            ["WalletPasses:Notifications:QuietHoursEnd"] = "00:00",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }
}

/// <summary>One APNs emulator for the test run, issued by the same test root as the pass certificate.</summary>
public static class SharedApns
{
    private static readonly Lazy<ApnsEmulator> Instance = new(() => ApnsEmulator.StartAsync(
        clientTrust: new ClientTrust(Infrastructure.TestCertificates.Certificates.Root, Infrastructure.TestCertificates.Certificates.Wwdr)).GetAwaiter().GetResult());

    public static ApnsEmulator Emulator => Instance.Value;
}
