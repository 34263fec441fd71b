using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using WalletPasses.Activity;
using WalletPasses.Http;
using WalletPasses.Members;
using WalletPasses.Security;
using WalletPasses.Templates;

namespace WalletPasses.Apple;

/// <summary>
/// Apple's PassKit web service, with Apple's status codes. Passes carry webServiceURL =
/// <c>{PublicBaseUrl}/api/passkit</c> and devices append <c>/v1/...</c>. Devices authenticate with the pass's
/// authenticationToken (<c>ApplePass</c>, or <c>AndroidPass</c> from the Android "Wallet Passes" app); the
/// list call has no authentication because the device library identifier is its secret (so it is never logged).
/// </summary>
public static partial class PassKitApi
{
    public const string LoggerCategory = "WalletPasses.Apple.PassKit";
    public const int RegistrationBodyLimitBytes = 4 * 1024;
    public const int LogBodyLimitBytes = 16 * 1024;
    public const int MaxLogEntries = 10;
    public const int MaxLogEntryLength = 500;

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
        var access = await AuthorizeAsync(call, cancellationToken);
        if (access.Denied)
        {
            return access.Problem;
        }

        if (call.Limits.RegistrationBlocked(call.Request.HttpContext, call.SerialNumber) is { } tooMany)
        {
            return tooMany;
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

        var memberId = access.Holder.MemberId;
        var outcome = await call.Registrations.RegisterAsync(memberId, call.SerialNumber, call.DeviceLibraryIdentifier, pushToken, call.Outbox, cancellationToken);
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
        var access = await AuthorizeAsync(call, cancellationToken);
        if (access.Denied)
        {
            return access.Problem;
        }

        var memberId = access.Holder.MemberId;
        if (await call.Registrations.RemoveAsync(memberId, call.DeviceLibraryIdentifier, call.SerialNumber, cancellationToken))
        {
            await call.Activity.PublishAppleAsync(PassActivityTypes.Removed, memberId, call.SerialNumber, call.DeviceLibraryIdentifier);
        }

        return TypedResults.Ok();
    }

    /// <summary>
    /// The device's registered passes whose version is not the one recorded in <paramref name="passesUpdatedSince"/>
    /// (all of them without a readable tag), or 204 (Apple's "Get the List of Updatable Passes"). See
    /// <see cref="UpdatedPassesTag"/>. Cost: one partition query of the device's rows and, concurrently, a point read
    /// per registered pass of only its pass columns (the versions must be the committed ones, never cached).
    /// The call is anonymous, so a client address that asks about too many unknown or malformed devices is answered 429
    /// before any query (<see cref="PassKitOptions.UnknownDevicesPerClientPerMinute"/>), and so is a device that asks
    /// more often than any phone would (<see cref="PassKitOptions.ListCallsPerDevicePerMinute"/>).
    /// </summary>
    public static async Task<Results<Ok<UpdatedPasses>, NoContent, ProblemHttpResult>> ListUpdatedPasses(
        string deviceLibraryIdentifier,
        string passTypeIdentifier,
        string? passesUpdatedSince,
        HttpContext context,
        PassKitLimits limits,
        ProgramPassTypes passTypes,
        MemberStore members,
        DeviceRegistrations registrations,
        CancellationToken cancellationToken)
    {
        if (limits.UnknownDevicesBlocked(context) is { } tooMany)
        {
            return tooMany;
        }

        if (await RouteProblemAsync(passTypes, passTypeIdentifier, deviceLibraryIdentifier, serialNumber: null, cancellationToken) is { } routeProblem)
        {
            limits.UnknownDevice(context);
            return routeProblem;
        }

        if (limits.ListBlocked(context, deviceLibraryIdentifier) is { } tooOften)
        {
            return tooOften;
        }

        // Only the passes of the asked pass type: a device may hold passes of several programs.
        var registered = await registrations.OnDeviceAsync(deviceLibraryIdentifier, cancellationToken);
        if (registered.Count == 0)
        {
            // Apple's answer for no matching passes; counted, since made-up identifiers each cost a query.
            limits.UnknownDevice(context);
            return TypedResults.NoContent();
        }

        var current = (await Task.WhenAll(registered.Select(async pass =>
            await passTypes.OfMemberAsync(pass.MemberId, cancellationToken) == passTypeIdentifier
            && await members.GetPassHolderAsync(pass.MemberId, cancellationToken) is { } holder && holder.Pass.SerialNumber == pass.SerialNumber ? holder.Pass : null)))
            .OfType<MemberPass>()
            .ToList();
        var changed = UpdatedPassesTag.ChangedSince(current, passesUpdatedSince);
        return changed.Count == 0
            ? TypedResults.NoContent()
            : TypedResults.Ok(new UpdatedPasses(changed.Select(pass => pass.SerialNumber).ToList(), UpdatedPassesTag.For(current)));
    }

    /// <summary>The current pass (GET and HEAD), or 304 when the device's copy is current.</summary>
    public static async Task<Results<PkPassResult, ProblemHttpResult>> GetPass(
        string passTypeIdentifier,
        string serialNumber,
        HttpRequest request,
        ProgramPassTypes passTypes,
        MemberStore members,
        AuthenticationTokens tokens,
        PassKitLimits limits,
        ApplePasses passes,
        CancellationToken cancellationToken)
    {
        var access = await AuthorizeAsync(request, passTypes, members, tokens, limits, passTypeIdentifier, serialNumber, deviceLibraryIdentifier: null, cancellationToken);
        return access.Denied ? access.Problem : new PkPassResult(access.Holder, passes);
    }

    /// <summary>
    /// Devices report web-service errors here. Anyone can call it, so what reaches the log is bounded: a JSON
    /// content type is required (a cross-origin page can only send "simple" requests, which cannot have one),
    /// <see cref="PassKitOptions.LogRequestsPerClientPerMinute"/> calls per client address, at most
    /// <see cref="MaxLogEntries"/> entries of <see cref="MaxLogEntryLength"/> characters, each one line at
    /// Information level: a device's view of an error, not a fault of this service.
    /// </summary>
    public static async Task<Results<Ok, ProblemHttpResult>> Log(HttpRequest request, PassKitLimits limits, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!JsonBody.IsJson(request.ContentType))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type", detail: "Send the body as application/json.");
        }

        if (limits.LogBlocked(request.HttpContext) is { } tooMany)
        {
            return tooMany;
        }

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

    /// <summary>400 for malformed route values, 404 for a pass type no program of this service issues.</summary>
    private static async Task<ProblemHttpResult?> RouteProblemAsync(
        ProgramPassTypes passTypes, string passTypeIdentifier, string? deviceLibraryIdentifier, string? serialNumber, CancellationToken cancellationToken)
    {
        if (deviceLibraryIdentifier is not null && !IsDeviceLibraryIdentifier(deviceLibraryIdentifier))
        {
            return ValidationProblem("deviceLibraryIdentifier", "A device library identifier is 1 to 128 letters, digits, '.', '_' or '-'.");
        }

        if (serialNumber is not null && !PassIssuer.IsWellFormedSerialNumber(serialNumber))
        {
            return ValidationProblem("serialNumber", "A serial number is 32 lowercase hexadecimal digits.");
        }

        return await passTypes.IsIssuedAsync(passTypeIdentifier, cancellationToken)
            ? null
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown pass type", detail: "This service issues no passes of this type.");
    }

    private static bool IsDeviceLibraryIdentifier(string value) =>
        IdentifierFormat.PassKitIdentifier.IsValid(value);

    private static Task<PassAccess> AuthorizeAsync(RegistrationCall call, CancellationToken cancellationToken) =>
        AuthorizeAsync(call.Request, call.PassTypes, call.Members, call.Tokens, call.Limits, call.PassTypeIdentifier, call.SerialNumber, call.DeviceLibraryIdentifier, cancellationToken);

    /// <summary>
    /// The member whose pass the request may act on: route values checked (400, 404), then the failed
    /// authentications of this client and this pass (429), then the presented authenticationToken (401, one answer
    /// for a missing, malformed or wrong token and an unknown serial number; each counts as a failure), compared in
    /// constant time with the token of the pass found by one <see cref="MemberStore.FindPassHolderAsync"/> call.
    /// </summary>
    private static async Task<PassAccess> AuthorizeAsync(
        HttpRequest request,
        ProgramPassTypes passTypes,
        MemberStore members,
        AuthenticationTokens tokens,
        PassKitLimits limits,
        string passTypeIdentifier,
        string serialNumber,
        string? deviceLibraryIdentifier,
        CancellationToken cancellationToken)
    {
        if (await RouteProblemAsync(passTypes, passTypeIdentifier, deviceLibraryIdentifier, serialNumber, cancellationToken) is { } routeProblem)
        {
            return new PassAccess(null, routeProblem);
        }

        if (limits.AuthenticationBlocked(request.HttpContext) is { } tooMany)
        {
            return new PassAccess(null, tooMany);
        }

        var header = request.Headers.Authorization.ToString();
        var token = TokenIn(header);
        // A pass of another program's pass type is answered as an unknown serial number.
        if (token.End.Value > token.Start.Value && await members.FindPassHolderAsync(serialNumber, cancellationToken) is { } holder && tokens.Matches(holder.Pass, header.AsSpan()[token])
            && await passTypes.OfMemberAsync(holder.MemberId, cancellationToken) == passTypeIdentifier)
        {
            return new PassAccess(holder, null);
        }

        if (limits.AuthenticationFailed(request.HttpContext, serialNumber) is { } passBlocked)
        {
            return new PassAccess(null, passBlocked);
        }

        request.HttpContext.Response.Headers.WWWAuthenticate = "ApplePass";
        return new PassAccess(null, TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized"));
    }

    /// <summary>Where the token is in an <c>ApplePass</c> or <c>AndroidPass</c> Authorization header (trimmed); an empty range in any other.</summary>
    private static Range TokenIn(string header)
    {
        foreach (var scheme in AuthorizationSchemes)
        {
            if (header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                var rest = header.AsSpan(scheme.Length);
                var (start, end) = (header.Length - rest.TrimStart().Length, scheme.Length + rest.TrimEnd().Length);
                return start < end ? start..end : default;
            }
        }

        return default;
    }

    private static ProblemHttpResult ValidationProblem(string field, string error) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [error] }) { Status = StatusCodes.Status400BadRequest });

    [LoggerMessage(LogLevel.Information, "Device reports: {DeviceLogEntry}")]
    private static partial void LogDeviceEntry(ILogger logger, string deviceLogEntry);

    [LoggerMessage(LogLevel.Information, "Device log had {DroppedEntries} more entries than are logged; they were dropped")]
    private static partial void LogDeviceEntriesDropped(ILogger logger, int droppedEntries);
}
