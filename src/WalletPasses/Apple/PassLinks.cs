using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WalletPasses.Security;

namespace WalletPasses.Apple;

public enum PassLinkCheck
{
    Valid,
    Invalid,
    Expired,
}

public static class PassLinkCheckResults
{
    /// <summary>The answer to a link that does not pass the check (403 forged, 410 expired); null for a valid link.</summary>
    public static ProblemHttpResult? ToProblem(this PassLinkCheck check) => check switch
    {
        PassLinkCheck.Invalid => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Invalid link", detail: "This pass link is not valid."),
        PassLinkCheck.Expired => TypedResults.Problem(statusCode: StatusCodes.Status410Gone, title: "Link expired", detail: "This pass link has expired; ask for a new one."),
        _ => null,
    };
}

/// <summary>
/// What a customer link opens. The purpose is part of the signed text, so a link made for one route
/// cannot be replayed against another.
/// </summary>
public sealed record PassLinkKind(string Purpose, string RoutePrefix)
{
    /// <summary>The Apple pass download: <c>/api/apple/passes/{serial}</c>.</summary>
    public static readonly PassLinkKind ApplePass = new("apple-pass", "api/apple/passes/");

    /// <summary>The redirect to Google's "save to wallet" page: <c>/api/google/save/{serial}</c>.</summary>
    public static readonly PassLinkKind GoogleSave = new("google-save", "api/google/save/");
}

/// <summary>
/// The customer's links: <c>/{route}/{serial}?expires=&lt;unix&gt;&amp;signature=&lt;HMAC&gt;</c>.
/// Anyone holding a link can use it until it expires; nobody can make one for another serial or route.
/// </summary>
public sealed class PassLinks(DerivedKeys keys, IOptions<WalletPassesOptions> options, TimeProvider time)
{
    public const string RoutePrefix = "api/apple/passes/";

    public Uri Create(string serialNumber) => Create(PassLinkKind.ApplePass, serialNumber);

    public Uri Create(PassLinkKind kind, string serialNumber)
    {
        var expires = time.GetUtcNow().Add(options.Value.PassLinkLifetime).ToUnixTimeSeconds();
        return new Uri(options.Value.BaseUri, $"{kind.RoutePrefix}{serialNumber}?expires={expires}&signature={Sign(kind, serialNumber, expires)}");
    }

    public PassLinkCheck Check(string serialNumber, string? expires, string? signature) =>
        Check(PassLinkKind.ApplePass, serialNumber, expires, signature);

    public PassLinkCheck Check(PassLinkKind kind, string serialNumber, string? expires, string? signature)
    {
        if (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt) || string.IsNullOrEmpty(signature))
        {
            return PassLinkCheck.Invalid;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(kind, serialNumber, expiresAt));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature)))
        {
            return PassLinkCheck.Invalid;
        }

        return time.GetUtcNow().ToUnixTimeSeconds() >= expiresAt ? PassLinkCheck.Expired : PassLinkCheck.Valid;
    }

    private string Sign(PassLinkKind kind, string serialNumber, long expires) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(keys.PassLink, Encoding.UTF8.GetBytes($"{kind.Purpose}|{serialNumber}|{expires}")));
}
