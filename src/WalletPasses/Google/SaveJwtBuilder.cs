using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace WalletPasses.Google;

/// <summary>
/// Builds "Add to Google Wallet" links. The JWT is "skinny": it names an object already inserted by REST
/// (<c>{id, classId}</c> only), which keeps the link well under the ~1800 characters browsers and Google accept.
/// Such a JWT does not update an existing object; patch it instead. Claims as in Google's JWT reference
/// (https://developers.google.com/wallet/reference/rest/v1/Jwt), plus the registered <c>exp</c> claim (RFC 7519
/// section 4.1.4) so a JWT lives no longer than the link that minted it.
/// </summary>
public sealed class SaveJwtBuilder(GoogleServiceAccountKey serviceAccountKey, IOptions<GoogleWalletOptions> options, TimeProvider timeProvider)
{
    public const string SaveUrlPrefix = "https://pay.google.com/gp/v/save/";

    private static readonly string EncodedHeader =
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new JwtHeader("RS256", "JWT"), GoogleWalletJson.Options));

    /// <param name="expiresAt">The JWT's <c>exp</c>: when the save link it is minted for expires.</param>
    /// <returns><c>https://pay.google.com/gp/v/save/&lt;jwt&gt;</c></returns>
    public Uri CreateSaveUrl(string objectId, string classId, DateTimeOffset expiresAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(objectId);
        ArgumentException.ThrowIfNullOrWhiteSpace(classId);

        var origins = options.Value.Origins;
        var claims = new SaveJwtClaims(
            Iss: serviceAccountKey.ClientEmail,
            Aud: "google",
            Typ: "savetowallet",
            Iat: timeProvider.GetUtcNow().ToUnixTimeSeconds(),
            Exp: expiresAt.ToUnixTimeSeconds(),
            Origins: origins.Count == 0 ? null : [.. origins],
            Payload: new SaveJwtPayload([new SaveJwtObjectReference(objectId, classId)]));
        var signingInput = EncodedHeader + "." +
            Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claims, GoogleWalletJson.Options));

        // A fresh RSA object per call: the PEM import is cheap and the builder stays free of shared mutable state.
        using var rsa = RSA.Create();
        rsa.ImportFromPem(serviceAccountKey.PrivateKeyPem);
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return new Uri(SaveUrlPrefix + signingInput + "." + Base64Url.EncodeToString(signature));
    }

    private sealed record JwtHeader(string Alg, string Typ);

    private sealed record SaveJwtClaims(
        string Iss, string Aud, string Typ, long Iat, long Exp, IReadOnlyList<string>? Origins, SaveJwtPayload Payload);

    private sealed record SaveJwtPayload(IReadOnlyList<SaveJwtObjectReference> LoyaltyObjects);

    private sealed record SaveJwtObjectReference(string Id, string ClassId);
}
