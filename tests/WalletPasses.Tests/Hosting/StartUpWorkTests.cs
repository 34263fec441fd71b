using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WalletPasses.Apple;
using WalletPasses.Security;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Hosting;

/// <summary>
/// Cold start (issue 13): work a starting instance used to repeat or do for nothing. The pass certificate was opened
/// three times (once per options validation of IOptions and IOptionsMonitor, once for the service; five times in
/// Production), and data protection's key ring, which nothing uses, was loaded (on a fresh instance created and written)
/// by its hosted service at every start.
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
    public void No_data_protection_key_ring_is_loaded_at_start()
    {
        var hostedServices = app.Factory.Services.GetServices<IHostedService>().Select(service => service.GetType().FullName);

        Assert.DoesNotContain(ApiKeyAuthentication.KeyRingWarmUp, hostedServices);
    }
}
