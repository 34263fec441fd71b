using WalletPasses.Activity;
using WalletPasses.Members;

namespace WalletPasses.Apple;

/// <summary>What both registration calls (POST and DELETE) are bound to: the route values and the services they use.</summary>
public sealed record RegistrationCall(
    string DeviceLibraryIdentifier,
    string PassTypeIdentifier,
    string SerialNumber,
    HttpRequest Request,
    ProgramPassTypes PassTypes,
    MemberStore Members,
    AuthenticationTokens Tokens,
    PassKitLimits Limits,
    DeviceRegistrations Registrations,
    PassActivity Activity);
