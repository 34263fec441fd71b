using Microsoft.AspNetCore.Authentication;

namespace WalletPasses.Security;

public sealed class ApiKeySchemeOptions : AuthenticationSchemeOptions
{
    public string Role { get; set; } = ApiRoles.Backend;
}
