using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NSubstitute;
using WalletPasses.Apple;
using WalletPasses.Apple.Apns;

namespace WalletPasses.Tests.Apple;

/// <summary>Builds <see cref="ApnsClient"/>s aimed at an <see cref="ApnsEmulator"/>, with retry delays short enough for tests.</summary>
internal static class ApnsTestClients
{
    public static AppleOptions OptionsFor(ApnsEmulator emulator) => new()
    {
        ApnsBaseUrl = emulator.BaseUrl,
        ApnsTrustedRootFile = emulator.CertificateAuthorityPemFile,
        ApnsMaxAttempts = 3,
        ApnsInitialRetryDelay = TimeSpan.FromMilliseconds(10),
        ApnsMaxRetryDelay = TimeSpan.FromMilliseconds(100),
        ApnsRequestTimeout = TimeSpan.FromSeconds(10),
    };

    public static ApnsClient Create(
        AppleOptions options,
        IApnsClientCertificateSource? certificateSource = null,
        ApnsHealth? health = null,
        ILogger<ApnsClient>? logger = null) =>
        new(
            Options.Create(options),
            certificateSource ?? CertificateSource(ApnsTestCertificates.PassCertificate),
            health ?? new ApnsHealth(),
            logger ?? NullLogger<ApnsClient>.Instance,
            TimeProvider.System);

    public static ApnsClient Create(ApnsEmulator emulator) => Create(OptionsFor(emulator));

    /// <summary>The APNs client with <c>WalletPasses:Apple</c> bound as <c>AddApple</c> binds it, without the rest of Apple.</summary>
    public static IServiceCollection AddApnsClientBoundTo(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AppleOptions>().Bind(configuration.GetSection(AppleOptions.Section));
        return services.AddApnsClient();
    }

    public static IApnsClientCertificateSource CertificateSource(X509Certificate2 certificate)
    {
        var source = Substitute.For<IApnsClientCertificateSource>();
        source.GetCertificate().Returns(certificate);
        return source;
    }

    /// <summary>A well-formed token like a device's: 64 hex digits, distinct from the first character on.</summary>
    public static string Token(int number) => Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(number)));
}

/// <summary>Keeps every formatted log line, to check what the client writes.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue($"{logLevel}: {formatter(state, exception)} {exception}");
}
