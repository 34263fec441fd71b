using Microsoft.OpenApi;

namespace WalletPasses.OpenApi;

/// <summary>The document's security schemes: how each kind of caller authenticates. Descriptions name settings, never values.</summary>
public static class SecuritySchemes
{
    public const string BackendKey = "BackendKey";
    public const string StaffKey = "StaffKey";
    public const string ApplePass = "ApplePass";
    public const string AndroidPass = "AndroidPass";

    public static Dictionary<string, IOpenApiSecurityScheme> All() => new(StringComparer.Ordinal)
    {
        [BackendKey] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A loyalty backend's API key, `Authorization: Bearer <key>`: a key configured under WalletPasses:ApiKeys:Backend. " +
                "One named under WalletPasses:ApiKeys:BackendPrograms acts only for the programs listed there: another program is answered " +
                "as one the deployment does not have (404 Unknown program; 400 on an event's programId).",
        },
        [StaffKey] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A store staff key, `Authorization: Bearer <key>`: created with POST /api/staff-keys or configured under WalletPasses:ApiKeys:Staff. " +
                "A backend key is not a staff key (401), and repeated wrong keys from one client are answered 429.",
        },
        [ApplePass] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "Authorization",
            Description = "Apple's PassKit web service: `Authorization: ApplePass <authenticationToken>`, the token inside the pass (pass.json).",
        },
        [AndroidPass] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "Authorization",
            Description = "The same web service called by Android apps that read Apple passes: `Authorization: AndroidPass <authenticationToken>`.",
        },
    };

    /// <summary>A requirement of one scheme; an operation's requirements are alternatives (any one suffices).</summary>
    public static OpenApiSecurityRequirement Require(string scheme, OpenApiDocument document) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };
}
