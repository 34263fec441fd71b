using Microsoft.AspNetCore.Mvc;
using WalletPasses.Activity;
using WalletPasses.Members;

namespace WalletPasses.Apple;

/// <summary>
/// What both registration calls (POST and DELETE) are bound to: the route values and the services they use. The
/// services say [FromServices]: the request delegate generator would otherwise describe a request body of no type
/// for these calls (a JSON body or a service is decided at run time only for a handler's own parameters), which the
/// OpenAPI document cannot describe.
/// </summary>
public sealed record RegistrationCall(
    string DeviceLibraryIdentifier,
    string PassTypeIdentifier,
    string SerialNumber,
    HttpRequest Request,
    [FromServices] ProgramPassTypes PassTypes,
    [FromServices] MemberStore Members,
    [FromServices] AuthenticationTokens Tokens,
    [FromServices] PassKitLimits Limits,
    [FromServices] DeviceRegistrations Registrations,
    [FromServices] IPassVersionOutbox Outbox,
    [FromServices] PassActivity Activity);
