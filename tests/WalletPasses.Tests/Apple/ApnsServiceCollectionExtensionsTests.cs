using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WalletPasses.Apple;
using WalletPasses.Apple.Apns;
using static WalletPasses.Tests.Apple.ApnsTestClients;

namespace WalletPasses.Tests.Apple;

public sealed class ApnsServiceCollectionExtensionsTests
{
    [Fact]
    public async Task The_contract_settings_configure_a_singleton_client_that_pushes()
    {
        await using var emulator = await ApnsEmulator.StartAsync();
        // The contract's environment variable names, behind a prefix unique to this test.
        var prefix = $"APNSTEST{Guid.NewGuid():N}_";
        Environment.SetEnvironmentVariable($"{prefix}WalletPasses__Apple__ApnsBaseUrl", emulator.BaseUrl.ToString());
        Environment.SetEnvironmentVariable($"{prefix}WalletPasses__Apple__ApnsTrustedRootFile", emulator.CertificateAuthorityPemFile);
        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build();
            await using var services = new ServiceCollection()
                .AddLogging()
                .AddSingleton(CertificateSource(ApnsTestCertificates.PassCertificate))
                .AddApnsClientBoundTo(configuration)
                .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

            var client = services.GetRequiredService<IApnsClient>();
            var result = await client.PushAsync(Token(1), ApnsTestCertificates.PassTypeIdentifier);

            Assert.IsType<ApnsPushResult.Delivered>(result);
            Assert.Same(client, services.GetRequiredService<IApnsClient>());
            Assert.NotNull(services.GetRequiredService<ApnsHealth>().GetSnapshot().LastDeliveredAt);
            Assert.Single(emulator.Pushes);
        }
        finally
        {
            Environment.SetEnvironmentVariable($"{prefix}WalletPasses__Apple__ApnsBaseUrl", null);
            Environment.SetEnvironmentVariable($"{prefix}WalletPasses__Apple__ApnsTrustedRootFile", null);
        }
    }

    [Fact]
    public void Apple_is_the_default_endpoint()
    {
        using var services = BuildServices([]);

        var options = services.GetRequiredService<IOptions<AppleOptions>>().Value;

        Assert.Equal(new Uri("https://api.push.apple.com"), options.ApnsBaseUrl);
        Assert.Null(options.ApnsTrustedRootFile);
    }

    [Theory]
    [InlineData("ApnsBaseUrl", "http://api.push.apple.com", "ApnsBaseUrl")]
    [InlineData("ApnsTrustedRootFile", "/nonexistent/apns-root.pem", "ApnsTrustedRootFile")]
    [InlineData("ApnsMaxAttempts", "0", "ApnsMaxAttempts")]
    [InlineData("ApnsMaxConcurrentPushes", "0", "ApnsMaxConcurrentPushes")]
    public void Unusable_settings_are_rejected_with_the_setting_named(string key, string value, string named)
    {
        using var services = BuildServices(new() { [$"WalletPasses:Apple:{key}"] = value });

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AppleOptions>>().Value);

        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://api.sandbox.push.apple.com", true)]
    [InlineData("https://api.sandbox.push.apple.com:2197", true)]
    [InlineData("https://api.push.apple.com", false)]
    public async Task Start_up_warns_when_pushes_go_to_the_sandbox(string baseUrl, bool warns)
    {
        // Wallet passes are updated through production APNs only; the sandbox knows no production device token
        // (Apple, "Handling notification responses from APNs": 400 BadDeviceToken), so every registration would go.
        var logs = new CapturedLogs();
        await using var services = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(logs))
            .AddSingleton(CertificateSource(ApnsTestCertificates.PassCertificate))
            .AddApnsClientBoundTo(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["WalletPasses:Apple:ApnsBaseUrl"] = baseUrl }).Build())
            .BuildServiceProvider();

        foreach (var hosted in services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        Assert.Equal(warns, logs.Entries.Any(entry => entry.Level == LogLevel.Warning && entry.Message.Contains("sandbox", StringComparison.Ordinal)));
    }

    private static ServiceProvider BuildServices(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddLogging()
            .AddSingleton(CertificateSource(ApnsTestCertificates.PassCertificate))
            .AddApnsClientBoundTo(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();
}

