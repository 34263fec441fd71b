using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WalletPasses.Apple;
using WalletPasses.Hosting;
using WalletPasses.Security;
using WalletPasses.Storage;
using WalletPasses.Templates;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Hosting;

/// <summary>
/// Cold start (issue 13): work a starting instance used to repeat or do for nothing. The pass certificate was opened
/// three times (once per options validation of IOptions and IOptionsMonitor, once for the service; five times in
/// Production), and data protection's key ring, which nothing uses, was loaded (on a fresh instance created and written)
/// by its hosted service at every start. And the storage set-up (with the certificate load its construction needs) waited
/// for the host to start its hosted services after mapping the routes, instead of running beside that from the moment
/// the service provider exists (<see cref="EarlyStartUp"/>).
/// </summary>
public sealed class StartUpWorkTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public void The_certificates_validated_at_start_are_the_ones_the_app_signs_with()
    {
        var services = app.Factory.Services;
        var validated = services.GetRequiredService<PassCertificateLoader>().Load(services.GetRequiredService<IOptionsMonitor<AppleOptions>>().CurrentValue);

        Assert.Empty(validated.Errors);
        Assert.Same(services.GetRequiredService<PassCertificates>(), validated.Certificates);
    }

    [Fact]
    public void The_loader_opens_the_certificate_once_for_the_same_settings_and_again_for_others()
    {
        var files = TestCertificates.Files;
        AppleOptions Options(string? next = null) => new() { CertificateFile = files.PassCertificate, CertificatePassword = TestCertificates.Password, WwdrCertificateFile = files.Wwdr, NextCertificateFile = next };
        using var loader = new PassCertificateLoader(TimeProvider.System);

        var first = loader.Load(Options()).Certificates;
        var same = loader.Load(Options()).Certificates; // another options instance of the same settings, as IOptionsMonitor makes
        var other = loader.Load(Options(next: "/nowhere/next.p12")).Certificates;

        Assert.NotNull(first);
        Assert.Same(first, same);
        Assert.NotSame(first, other);
        Assert.Single(other!.Ignored); // the next certificate's own settings were read: it is reported, not the first load's
    }

    [Fact]
    public async Task Storage_is_set_up_and_the_template_loaded_as_soon_as_the_services_are_built_before_the_host_starts()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(WalletPassesFactory.SettingsFor(app.Azurite.ConnectionString)); // a storage prefix nothing has set up
        builder.Services.AddWalletPasses(builder.Configuration);
        await using var host = builder.Build();
        var storage = host.Services.GetRequiredService<StorageClients>();
        var defaultTemplate = storage.Templates.GetBlobClient(PublishedTemplates.UnpublishedPrefix(host.Services.GetRequiredService<IOptions<WalletPassesOptions>>().Value.ProgramId) + DefaultTemplate.TemplateFileName);

        host.Services.StartStorageSetUpEarly(); // as both hosts do right after Build(); the host is never started here

        await Eventually.HoldsAsync(async () => (await defaultTemplate.ExistsAsync()).Value, "the default template seeded by the set-up", within: TimeSpan.FromSeconds(30));
        var tables = await storage.Tables.QueryAsync(maxPerPage: 100).Select(table => table.Name).ToListAsync();
        Assert.Subset(tables.ToHashSet(), StorageNames.Tables.Select(name => storage.NamePrefix + name).ToHashSet());
        await Eventually.HoldsAsync(() => host.Services.GetRequiredService<StorageInitializer>().WhenReadyAsync(CancellationToken.None).IsCompletedSuccessfully, "the set-up complete without the host");
    }

    [Fact]
    public void No_data_protection_key_ring_is_loaded_at_start()
    {
        var hostedServices = app.Factory.Services.GetServices<IHostedService>().Select(service => service.GetType().FullName);

        Assert.DoesNotContain(ApiKeyAuthentication.KeyRingWarmUp, hostedServices);
    }
}
