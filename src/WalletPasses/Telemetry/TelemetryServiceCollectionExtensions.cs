using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using WalletPasses.Security;

namespace WalletPasses.Telemetry;

using Activity = System.Diagnostics.Activity;

/// <summary>
/// Registers <see cref="WalletPassesTelemetry"/> always, and the OpenTelemetry SDK with its OTLP exporter only when
/// an OTLP endpoint is configured by the standard settings (read from configuration, so from environment variables
/// and app settings alike). Without one nothing is collected for export and nothing leaves the process.
/// </summary>
public static partial class TelemetryServiceCollectionExtensions
{
    /// <summary>Any of these turns export on (the signal-specific ones apply to their signal).</summary>
    public static readonly string[] EndpointSettings =
    [
        "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT",
    ];

    public const string DefaultServiceName = "walletpasses";

    /// <summary>True when an OTLP endpoint is set and <c>OTEL_SDK_DISABLED</c> is not <c>true</c>.</summary>
    public static bool ExportConfigured(IConfiguration configuration) =>
        !string.Equals(configuration["OTEL_SDK_DISABLED"], "true", StringComparison.OrdinalIgnoreCase)
        && EndpointSettings.Any(name => !string.IsNullOrWhiteSpace(configuration[name]));

    /// <returns>The OpenTelemetry builder when export is configured (a host adds its own parts to it), otherwise null.</returns>
    public static IOpenTelemetryBuilder? AddWalletPassesTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMetrics();
        services.TryAddSingleton<WalletPassesTelemetry>();
        if (!ExportConfigured(configuration))
        {
            return null;
        }

        var builder = services.AddOpenTelemetry();
        if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]))
        {
            builder.ConfigureResource(resource => resource.AddService(DefaultServiceName));
        }

        builder
            .WithTracing(tracing => tracing
                .AddSource(WalletPassesTelemetry.Name)
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.EnrichWithHttpRequest = (activity, request) =>
                {
                    // Paths and queries carry device ids, push tokens and link signatures (see LogRedaction).
                    Redact(activity, "url.path");
                    Redact(activity, "url.query");
                })
                .AddHttpClientInstrumentation(http => http.EnrichWithHttpRequestMessage = (activity, _) => Redact(activity, "url.full", TableKeys())))
            .WithMetrics(metrics => metrics
                .AddMeter(WalletPassesTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation())
            .WithLogging()
            .UseOtlpExporter();
        return builder;
    }

    private static void Redact(Activity activity, string tag, Regex? alsoRedact = null)
    {
        if (activity.GetTagItem(tag) is not string value)
        {
            return;
        }

        var redacted = LogRedaction.Redact(value);
        redacted = alsoRedact?.Replace(redacted, "(" + LogRedaction.Redacted + ")") ?? redacted;
        if (redacted != value)
        {
            activity.SetTag(tag, redacted);
        }
    }

    /// <summary>
    /// Table Storage addresses an entity in the URL path, <c>table(PartitionKey='...',RowKey='...')</c>, and some keys
    /// are secrets (device library identifiers key the registrations).
    /// </summary>
    [GeneratedRegex(@"\((?=[^)]*PartitionKey=)[^)]*\)", RegexOptions.CultureInvariant)]
    private static partial Regex TableKeys();
}
