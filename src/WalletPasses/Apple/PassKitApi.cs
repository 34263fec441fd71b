using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using WalletPasses.Activity;
using WalletPasses.Hosting;
using WalletPasses.Members;
using WalletPasses.Security;
using WalletPasses.Templates;

namespace WalletPasses.Apple;

/// <summary>The body of a device registration.</summary>
// Devices' firmware is not ours to fix: a property this service does not use is ignored, not refused.
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
public sealed record RegistrationBody(string? PushToken);

/// <summary>The body of a device's error report.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
public sealed record DeviceLogBody(IReadOnlyList<string?>? Logs);

/// <summary>What both registration calls (POST and DELETE) are bound to: the route values and the services they use.</summary>
public sealed record RegistrationCall(
    string DeviceLibraryIdentifier,
    string PassTypeIdentifier,
    string SerialNumber,
    HttpRequest Request,
    ITemplateSource Templates,
    MemberStore Members,
    DeviceRegistrations Registrations,
    PassActivity Activity);

/// <summary>Either the member whose pass a device may act on, or the problem to answer instead.</summary>
internal sealed record PassAccess(Member? Member, ProblemHttpResult? Problem)
{
    [MemberNotNullWhen(true, nameof(Problem))]
    [MemberNotNullWhen(false, nameof(Member))]
    public bool Denied => Member is null;
}

/// <summary>The answer to "which of my passes changed": <c>lastUpdated</c> is an opaque tag the device sends back.</summary>
public sealed record UpdatedPasses(IReadOnlyList<string> SerialNumbers, string LastUpdated);

/// <summary>
/// Apple's PassKit web service, with Apple's status codes. Passes carry webServiceURL =
/// <c>{PublicBaseUrl}/api/passkit</c> and devices append <c>/v1/...</c>. Devices authenticate with the pass's
/// authenticationToken (<c>ApplePass</c>, or <c>AndroidPass</c> from the Android "Wallet Passes" app); the
/// list call has no authentication because the device library identifier is its secret.
/// </summary>
public static partial class PassKitApi
{
    public const string LoggerCategory = "WalletPasses.Apple.PassKit";
    public const int RegistrationBodyLimitBytes = 4 * 1024;
    public const int LogBodyLimitBytes = 64 * 1024;
    public const int MaxLogEntries = 100;
    public const int MaxLogEntryLength = 1000;

    private static readonly string[] AuthorizationSchemes = ["ApplePass ", "AndroidPass "];

    // Apple's five web service endpoints below webServiceURL (…/api/passkit), per Apple's PassKit web service reference.
    public const string RegistrationRoute = "passkit/v1/devices/{deviceLibraryIdentifier}/registrations/{passTypeIdentifier}/{serialNumber}";
    public const string RegistrationsRoute = "passkit/v1/devices/{deviceLibraryIdentifier}/registrations/{passTypeIdentifier}";
    public const string PassRoute = "passkit/v1/passes/{passTypeIdentifier}/{serialNumber}";
    public const string LogRoute = "passkit/v1/log";

    public static RouteGroupBuilder MapPassKitApi(this IEndpointRouteBuilder app)
    {
        // Every call is anonymous to ASP.NET Core: devices prove themselves per pass, checked in the handlers.
        var api = app.MapGroup("").AllowAnonymous();
        api.MapPost(RegistrationRoute, Register);
        api.MapDelete(RegistrationRoute, Unregister);
        api.MapGet(RegistrationsRoute, ListUpdatedPasses);
        api.MapMethods(PassRoute, [HttpMethods.Get, HttpMethods.Head], GetPass);
        api.MapPost(LogRoute, Log);
        return api;
    }

    /// <summary>201 for a new registration, 200 for a known one (its push token refreshed).</summary>
    public static async Task<Results<Created, Ok, ProblemHttpResult>> Register([AsParameters] RegistrationCall call, CancellationToken cancellationToken)
    {
        var access = await AuthorizeAsync(call.Request, call.Templates, call.Members, call.PassTypeIdentifier, call.SerialNumber, call.DeviceLibraryIdentifier, cancellationToken);
        if (access.Denied)
        {
            return access.Problem;
        }

        var body = await JsonBody.ReadAsync<RegistrationBody>(call.Request, RegistrationBodyLimitBytes, cancellationToken);
        if (body.Problem is { } bodyProblem)
        {
            return bodyProblem.Result;
        }

        if (body.Value!.PushToken is not { Length: >= 64 and <= 200 } pushToken || !pushToken.All(char.IsAsciiHexDigit))
        {
            return ValidationProblem("pushToken", "pushToken is required: 64 to 200 hexadecimal digits.");
        }

        var memberId = access.Member.MemberId;
        var outcome = await call.Registrations.RegisterAsync(memberId, call.SerialNumber, call.DeviceLibraryIdentifier, pushToken, cancellationToken);
        if (outcome == RegistrationOutcome.AlreadyRegistered)
        {
            return TypedResults.Ok();
        }

        await call.Activity.PublishAppleAsync(PassActivityTypes.Installed, memberId, call.SerialNumber, call.DeviceLibraryIdentifier);
        return TypedResults.Created();
    }

    /// <summary>200 whether or not the device was registered.</summary>
    public static async Task<Results<Ok, ProblemHttpResult>> Unregister([AsParameters] RegistrationCall call, CancellationToken cancellationToken)
    {
        var access = await AuthorizeAsync(call.Request, call.Templates, call.Members, call.PassTypeIdentifier, call.SerialNumber, call.DeviceLibraryIdentifier, cancellationToken);
        if (access.Denied)
        {
            return access.Problem;
        }

        var memberId = access.Member.MemberId;
        if (await call.Registrations.RemoveAsync(memberId, call.DeviceLibraryIdentifier, call.SerialNumber, cancellationToken))
        {
            await call.Activity.PublishAppleAsync(PassActivityTypes.Removed, memberId, call.SerialNumber, call.DeviceLibraryIdentifier);
        }

        return TypedResults.Ok();
    }

    /// <summary>
    /// The device's registered passes changed after <paramref name="passesUpdatedSince"/> (all of them without
    /// it), or 204. The tag is a pass's <c>PassUpdatedAt</c> in Unix seconds: versions of one pass are at least
    /// a second apart, so "newer than the newest version the device was told about" is exact per pass.
    /// Known limit: another pass of the same device changing later within that very second is reported only
    /// with its next change (a tag one second earlier would instead repeat the newest pass once).
    /// Cost: one partition query of the device's rows and a point read per registered pass.
    /// </summary>
    public static async Task<Results<Ok<UpdatedPasses>, NoContent, ProblemHttpResult>> ListUpdatedPasses(
        string deviceLibraryIdentifier,
        string passTypeIdentifier,
        string? passesUpdatedSince,
        ITemplateSource templates,
        MemberStore members,
        DeviceRegistrations registrations,
        CancellationToken cancellationToken)
    {
        if (await RouteProblemAsync(templates, passTypeIdentifier, deviceLibraryIdentifier, serialNumber: null, cancellationToken) is { } routeProblem)
        {
            return routeProblem;
        }

        long? since = null;
        if (!string.IsNullOrEmpty(passesUpdatedSince)) // an empty value is a device without a tag, like an absent one
        {
            if (!long.TryParse(passesUpdatedSince, NumberStyles.None, CultureInfo.InvariantCulture, out var tag))
            {
                return ValidationProblem("passesUpdatedSince", "passesUpdatedSince must be a lastUpdated tag this service returned.");
            }

            since = tag;
        }

        var registered = await registrations.OnDeviceAsync(deviceLibraryIdentifier, cancellationToken);
        var current = await Task.WhenAll(registered.Select(async pass =>
            await members.GetAsync(pass.MemberId, cancellationToken) is { } member && member.Pass.SerialNumber == pass.SerialNumber ? member : null));
        var changed = current.OfType<Member>().Where(member => since is null || member.Pass.UpdatedAt.ToUnixTimeSeconds() > since).ToList();
        if (changed.Count == 0)
        {
            return TypedResults.NoContent();
        }

        var lastUpdated = changed.Max(member => member.Pass.UpdatedAt.ToUnixTimeSeconds());
        return TypedResults.Ok(new UpdatedPasses(
            changed.Select(member => member.Pass.SerialNumber).ToList(),
            lastUpdated.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>The current pass (GET and HEAD), or 304 when the device's copy is current.</summary>
    public static async Task<Results<PkPassResult, ProblemHttpResult>> GetPass(
        string passTypeIdentifier,
        string serialNumber,
        HttpRequest request,
        ITemplateSource templates,
        MemberStore members,
        ApplePasses passes,
        CancellationToken cancellationToken)
    {
        var access = await AuthorizeAsync(request, templates, members, passTypeIdentifier, serialNumber, deviceLibraryIdentifier: null, cancellationToken);
        return access.Denied ? access.Problem : new PkPassResult(access.Member, passes);
    }

    /// <summary>
    /// Devices report web-service errors here. Anyone can call it, so what reaches the log is bounded: at most
    /// <see cref="MaxLogEntries"/> entries of <see cref="MaxLogEntryLength"/> characters, each one line.
    /// </summary>
    public static async Task<Results<Ok, ProblemHttpResult>> Log(HttpRequest request, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<DeviceLogBody>(request, LogBodyLimitBytes, cancellationToken);
        if (body.Problem is { } bodyProblem)
        {
            return bodyProblem.Result;
        }

        if (body.Value!.Logs is not { } entries)
        {
            return ValidationProblem("logs", "logs is required: an array of strings.");
        }

        var logger = loggers.CreateLogger(LoggerCategory);
        foreach (var entry in entries.Take(MaxLogEntries).OfType<string>())
        {
            LogDeviceEntry(logger, ToSingleLine(entry));
        }

        if (entries.Count > MaxLogEntries)
        {
            LogDeviceEntriesDropped(logger, entries.Count - MaxLogEntries);
        }

        return TypedResults.Ok();
    }

    /// <summary>
    /// Device text made safe to log: control, format (bidirectional overrides) and line/paragraph separator
    /// characters removed, so an entry can never forge or disguise log lines; cut to <see cref="MaxLogEntryLength"/>.
    /// </summary>
    internal static string ToSingleLine(string text)
    {
        var line = new StringBuilder(Math.Min(text.Length, MaxLogEntryLength));
        Span<char> encoded = stackalloc char[2];
        foreach (var rune in text.EnumerateRunes()) // unpaired surrogates arrive as U+FFFD
        {
            if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                continue;
            }

            if (line.Length + rune.Utf16SequenceLength > MaxLogEntryLength)
            {
                break;
            }

            line.Append(encoded[..rune.EncodeToUtf16(encoded)]);
        }

        return line.ToString();
    }

    /// <summary>400 for malformed route values, 404 for a pass type this service does not issue.</summary>
    private static async Task<ProblemHttpResult?> RouteProblemAsync(
        ITemplateSource templates, string passTypeIdentifier, string? deviceLibraryIdentifier, string? serialNumber, CancellationToken cancellationToken)
    {
        if (deviceLibraryIdentifier is not null && !IsDeviceLibraryIdentifier(deviceLibraryIdentifier))
        {
            return ValidationProblem("deviceLibraryIdentifier", "A device library identifier is 1 to 128 letters, digits, '.', '_' or '-'.");
        }

        if (serialNumber is not null && !SerialNumbers.IsWellFormed(serialNumber))
        {
            return ValidationProblem("serialNumber", "A serial number is 32 lowercase hexadecimal digits.");
        }

        var template = (await templates.GetCurrentAsync(cancellationToken)).Template;
        return string.Equals(passTypeIdentifier, template.PassTypeIdentifier, StringComparison.Ordinal)
            ? null
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown pass type", detail: "This service issues no passes of this type.");
    }

    private static bool IsDeviceLibraryIdentifier(string value) =>
        IdentifierFormat.PassKitIdentifier.IsValid(value);

    /// <summary>
    /// The member whose pass the request may act on: route values checked (400, 404), then the presented
    /// authenticationToken (401, one answer for a missing, malformed or wrong token and an unknown serial number).
    /// </summary>
    private static async Task<PassAccess> AuthorizeAsync(
        HttpRequest request, ITemplateSource templates, MemberStore members, string passTypeIdentifier, string serialNumber, string? deviceLibraryIdentifier, CancellationToken cancellationToken)
    {
        if (await RouteProblemAsync(templates, passTypeIdentifier, deviceLibraryIdentifier, serialNumber, cancellationToken) is { } routeProblem)
        {
            return new PassAccess(null, routeProblem);
        }

        var header = request.Headers.Authorization.ToString();
        var scheme = Array.Find(AuthorizationSchemes, s => header.StartsWith(s, StringComparison.OrdinalIgnoreCase));
        var token = scheme is null ? "" : header[scheme.Length..].Trim();
        if (token.Length > 0 && await ApplePassApi.FindMemberByTokenAsync(serialNumber, token, members, cancellationToken) is { } member)
        {
            return new PassAccess(member, null);
        }

        request.HttpContext.Response.Headers.WWWAuthenticate = "ApplePass";
        return new PassAccess(null, TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized"));
    }

    private static ProblemHttpResult ValidationProblem(string field, string error) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [error] }) { Status = StatusCodes.Status400BadRequest });

    [LoggerMessage(LogLevel.Warning, "Device reports: {DeviceLogEntry}")]
    private static partial void LogDeviceEntry(ILogger logger, string deviceLogEntry);

    [LoggerMessage(LogLevel.Warning, "Device log had {DroppedEntries} more entries than are logged; they were dropped")]
    private static partial void LogDeviceEntriesDropped(ILogger logger, int droppedEntries);
}
