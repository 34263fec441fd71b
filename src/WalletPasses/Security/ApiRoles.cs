namespace WalletPasses.Security;

/// <summary>The two roles that call the API with bearer keys: loyalty backends and store staff.</summary>
public static class ApiRoles
{
    public const string Backend = "backend";
    public const string Staff = "staff";
}
