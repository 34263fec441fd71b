using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace WalletPasses.Security;

/// <summary>
/// What never reaches a log line, whatever the log level and whoever logs it (ASP.NET's request log,
/// HttpClient's, Kestrel's, ours): query strings of signed links (anyone holding one downloads the pass, and
/// with it the pass's authenticationToken), Apple device library identifiers (the only secret of the
/// unauthenticated "which passes changed" call) and push tokens in URL paths, <c>ApplePass</c>/<c>Bearer</c>
/// credentials, JWTs (Google save links) and barcode tokens.
/// </summary>
public static partial class LogRedaction
{
    public const string Redacted = "[redacted]";

    /// <summary>Structured values logged under these names are redacted wherever they appear in the line.</summary>
    public static readonly IReadOnlySet<string> SensitiveValueNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "DeviceLibraryIdentifier", "PushToken", "AuthenticationToken", "Signature", "Barcode",
    };

    /// <summary>Routes every logger through <see cref="RedactingLoggerFactory"/>: providers added later (tests, Application Insights) included.</summary>
    public static IServiceCollection AddLogRedaction(this IServiceCollection services)
    {
        services.AddLogging();
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(provider =>
            new RedactingLoggerFactory(ActivatorUtilities.CreateInstance<LoggerFactory>(provider))));
        return services;
    }

    public static string Redact(string text) => SensitivePattern().Replace(text, static match =>
        match.Groups["keep"].Success ? match.Groups["keep"].Value + Redacted : Redacted);

    [GeneratedRegex("""
        (?<keep>\?)[^\s"'<>]*?\bsignature=[^\s"'<>]*
        | (?<keep>/devices?/)[^/\s?#"'<>]+
        | (?<keep>\bfor\ device\s+)[A-Za-z0-9._-]+
        | (?<keep>\b(?:ApplePass|Bearer)\s+)[^\s"',;]+
        | \beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*
        | \bWP[12]\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)?
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.ExplicitCapture | RegexOptions.CultureInvariant)]
    private static partial Regex SensitivePattern();
}
