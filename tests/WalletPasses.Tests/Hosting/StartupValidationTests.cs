using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NSubstitute;
using WalletPasses.Apple;
using WalletPasses.Hosting;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Hosting;

/// <summary>
/// Every settings section is checked when the host starts (<c>ValidateOnStart</c>: the host's <see cref="IStartupValidator"/>
/// runs before any hosted service), and a wrong value stops start-up with a message that names the setting to fix.
/// Run over the app's own composition (<see cref="WalletPassesApplication.AddWalletPasses"/>), without storage: the
/// checks need none, and a host whose start fails races its disposal on a loaded test run.
/// </summary>
public sealed class StartupValidationTests
{
    /// <summary>
    /// local.settings.example.json (what ./run.sh and the cold-start benchmark start from) lists a named pass type
    /// certificate with blank values for the operator to fill in: blank is not configured, and the app starts with
    /// the main certificate's pass type alone. (Over the base settings of <see cref="Settings"/>, which every test of
    /// <see cref="A_wrong_value_stops_start_up_naming_the_setting"/> changes by one value.)
    /// </summary>
    [Fact]
    public void A_named_certificate_left_blank_as_in_the_example_settings_starts()
    {
        using var services = Compose(new()
        {
            ["WalletPasses:Apple:PassTypeCertificates:brand2:CertificateFile"] = "",
            ["WalletPasses:Apple:PassTypeCertificates:brand2:CertificatePassword"] = "",
        });

        services.GetRequiredService<IStartupValidator>().Validate();

        var certificates = services.GetRequiredService<ProgramCertificates>();
        Assert.Empty(certificates.Named);
        Assert.Equal([certificates.Main.PassTypeIdentifier ?? ""], certificates.PassTypeIdentifiers);
    }

    [Theory]
    [InlineData("WalletPasses:Apple:PassTypeCertificates:brand2:CertificateFile", "/nowhere/brand2.p12", "WalletPasses:Apple:PassTypeCertificates:brand2")]
    [InlineData("WalletPasses:PublicBaseUrl", "wallet.example.com", "WalletPasses:PublicBaseUrl")]
    [InlineData("WalletPasses:ProgramId", "a-program-id-longer-than-sixty-four-characters-is-refused-at-start-up", "WalletPasses:ProgramId")]
    [InlineData("WalletPasses:ProgramId", "published", "names a folder of the templates container")]
    [InlineData("WalletPasses:ApiKeys:Backend:tests", "short", "WalletPasses:ApiKeys:Backend:tests")]
    [InlineData("WalletPasses:Proxies:KnownProxies:0", "not-an-address", "WalletPasses:Proxies:KnownProxies")]
    [InlineData("WalletPasses:Staff:PerkDayTimeZone", "Mars/Olympus_Mons", "WalletPasses:Staff:PerkDayTimeZone")]
    [InlineData("WalletPasses:Barcode:ReissueAfter", "400.00:00:00", "WalletPasses:Barcode:ReissueAfter")]
    [InlineData("WalletPasses:Apple:CertificateFile", "/nowhere/pass.p12", "WalletPasses:Apple:CertificateFile")]
    [InlineData("WalletPasses:Apple:ApnsMaxAttempts", "0", "WalletPasses:Apple:ApnsMaxAttempts")]
    [InlineData("WalletPasses:Apple:PassKit:MaxDevicesPerPass", "0", "WalletPasses:Apple:PassKit:MaxDevicesPerPass")]
    [InlineData("WalletPasses:Apple:PassKit:UnknownDevicesPerClientPerMinute", "0", "WalletPasses:Apple:PassKit:UnknownDevicesPerClientPerMinute")]
    [InlineData("WalletPasses:Apple:PassKit:ListCallsPerDevicePerMinute", "0", "WalletPasses:Apple:PassKit:ListCallsPerDevicePerMinute")]
    [InlineData("WalletPasses:Delivery:MaxPerRun", "0", "WalletPasses:Delivery:MaxPerRun")]
    [InlineData("WalletPasses:Delivery:OfferExpiryMaxPerRun", "0", "WalletPasses:Delivery:OfferExpiryMaxPerRun must be between 1 and 2000, for example 200.")]
    [InlineData("WalletPasses:Delivery:OfferExpiryMaxPerRun", "2001", "WalletPasses:Delivery:OfferExpiryMaxPerRun must be between 1 and 2000, for example 200.")]
    [InlineData("WalletPasses:Delivery:TraceFlushDelay", "-00:00:01", "WalletPasses:Delivery:TraceFlushDelay")]
    [InlineData("WalletPasses:Delivery:RepushAfter", "00:00:00", "WalletPasses:Delivery:RepushAfter")]
    [InlineData("WalletPasses:Retention:AppliedEvents", "3.00:00:00", "WalletPasses:Retention:AppliedEvents")]
    [InlineData("WalletPasses:Events:VisibilityTimeout", "00:00:00", "WalletPasses:Events:VisibilityTimeout")]
    [InlineData("WalletPasses:Notifications:MaxPerDay", "-1", "WalletPasses:Notifications:MaxPerDay")]
    [InlineData("WalletPasses:Google:ServiceAccountKeyFile", "/nowhere/google-key.json", "WalletPasses:Google:ServiceAccountKeyFile")]
    [InlineData("WalletPasses:Publishing:ChunkSize", "0", "WalletPasses:Publishing:ChunkSize")]
    [InlineData("WalletPasses:Publishing:Lease", "00:00:10", "WalletPasses:Publishing:Lease")]
    [InlineData("WalletPasses:Publishing:MaxZipEntries", "0", "WalletPasses:Publishing:MaxZipEntries")]
    [InlineData("WalletPasses:Popups:MaxPerProgram", "0", "WalletPasses:Popups:MaxPerProgram")]
    [InlineData("WalletPasses:Popups:AnnounceBefore", "31.00:00:00", "WalletPasses:Popups:AnnounceBefore")]
    [InlineData("WalletPasses:Staff:PointsWebhookRetries", "0", "WalletPasses:Staff:PointsWebhookRetries")]
    public void A_wrong_value_stops_start_up_naming_the_setting(string setting, string value, string named)
    {
        var settings = new Dictionary<string, string?> { [setting] = value };
        if (setting.StartsWith("WalletPasses:Google:", StringComparison.Ordinal))
        {
            settings["WalletPasses:Google:IssuerId"] = "3388000000012345678"; // Google's settings are read only when it is on
        }

        using var services = Compose(settings);

        var failure = Assert.ThrowsAny<Exception>(() => services.GetRequiredService<IStartupValidator>().Validate());

        var messages = failure is AggregateException many ? many.InnerExceptions.Select(e => e.Message) : [failure.Message];
        Assert.All(messages, message => Assert.Contains(named, message, StringComparison.Ordinal));
        Assert.All(failure is AggregateException all ? all.InnerExceptions : [failure], e => Assert.IsType<OptionsValidationException>(e));
    }

    [Fact]
    public void Without_a_backend_key_start_up_stops_saying_how_to_add_one()
    {
        using var services = Compose(new() { ["WalletPasses:ApiKeys:Backend:tests"] = null });

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("WalletPasses__ApiKeys__Backend__<name>", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>The app's services over valid settings (those of <see cref="WalletPassesFactory"/>) with <paramref name="overrides"/> on top (null removes one).</summary>
    private static ServiceProvider Compose(Dictionary<string, string?> overrides) => ComposeExactly(Settings(overrides));

    /// <summary>Valid settings (those of <see cref="WalletPassesFactory"/>, no storage needed to validate them) with <paramref name="overrides"/> on top (null removes one).</summary>
    public static Dictionary<string, string?> Settings(Dictionary<string, string?> overrides)
    {
        var files = TestCertificates.Files;
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["WalletPasses:PublicBaseUrl"] = WalletPassesFactory.PublicBaseUrl,
            ["WalletPasses:SigningSecret"] = "test-signing-secret-0123456789-0123456789",
            ["WalletPasses:ApiKeys:Backend:tests"] = WalletPassesFactory.BackendKey,
            ["WalletPasses:ApiKeys:Staff:tests"] = WalletPassesFactory.StaffKey,
            ["WalletPasses:Apple:CertificateFile"] = files.PassCertificate,
            ["WalletPasses:Apple:CertificatePassword"] = TestCertificates.Password,
            ["WalletPasses:Apple:WwdrCertificateFile"] = files.Wwdr,
            ["WalletPasses:Barcode:SigningKeyFile"] = files.BarcodeSigningKey,
        };
        foreach (var (key, value) in overrides)
        {
            if (value is null)
            {
                settings.Remove(key); // null: the setting is not there at all
            }
            else
            {
                settings[key] = value;
            }
        }

        return settings;
    }

    /// <summary>The app's services over exactly these settings, for their start-up validation (<see cref="IStartupValidator"/>).</summary>
    public static ServiceProvider ComposeExactly(IReadOnlyDictionary<string, string?> settings)
    {
        var environment = Substitute.For<IHostEnvironment>();
        environment.EnvironmentName.Returns("Testing");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(environment)
            .AddWalletPasses(configuration)
            .BuildServiceProvider();
    }
}
