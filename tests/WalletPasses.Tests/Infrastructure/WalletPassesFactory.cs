using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace WalletPasses.Tests.Integration;

/// <summary>The real app over a real Azurite, configured the way an operator would, with a controllable clock.</summary>
public sealed class WalletPassesFactory(string connectionString, IDictionary<string, string?>? overrides = null, string environment = "Testing") : WebApplicationFactory<Program>
{
    public const string BackendKey = "test-backend-key-0001";
    public const string StaffKey = "test-staff-key-0001";
    public const string PublicBaseUrl = "https://wallet.test";

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>This app's own tables, queues and containers in the shared Azurite: tests never see each other's events.</summary>
    public string StoragePrefix { get; } = "t" + Guid.NewGuid().ToString("N")[..10];

    public IReadOnlyDictionary<string, string?> Settings => _settings ??= BuildSettings(connectionString, StoragePrefix, overrides);

    private IReadOnlyDictionary<string, string?>? _settings;

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
        builder.UseEnvironment(environment);
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(Settings));
        builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time)));
    }

    private static Dictionary<string, string?> BuildSettings(string connectionString, string storagePrefix, IDictionary<string, string?>? overrides)
    {
        var files = Infrastructure.TestCertificates.Files;
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = connectionString,
            ["WalletPasses:Storage:NamePrefix"] = storagePrefix,
            ["WalletPasses:PublicBaseUrl"] = PublicBaseUrl,
            ["WalletPasses:SigningSecret"] = "test-signing-secret-0123456789-0123456789",
            ["WalletPasses:ApiKeys:Backend:tests"] = BackendKey,
            ["WalletPasses:ApiKeys:Staff:tests"] = StaffKey,
            ["WalletPasses:Apple:CertificateFile"] = files.PassCertificate,
            ["WalletPasses:Apple:CertificatePassword"] = Infrastructure.TestCertificates.Password,
            ["WalletPasses:Apple:WwdrCertificateFile"] = files.Wwdr,
            ["WalletPasses:Barcode:SigningKeyFile"] = files.BarcodeSigningKey,
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }
}
