using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;

namespace WalletPasses.Barcodes;

/// <summary>
/// A public key that verifies barcode tokens: a JWK (WebCrypto imports it as is) plus its DER SubjectPublicKeyInfo;
/// <see cref="Signing"/> marks the one new tokens are signed with.
/// </summary>
public sealed record BarcodeKey(string Kid, string Kty, string Crv, string X, string Y, string Alg, string Use, string Spki, bool Signing);

public sealed record BarcodeKeySet(IReadOnlyList<BarcodeKey> Keys);

/// <summary>
/// <c>GET /api/barcode-keys</c> (anonymous: they are public keys): what a staff device caches to verify
/// token signatures offline. Every active key, the signing one first (during a rotation the next or the previous
/// key too); <c>kid</c> is the key id the token payload starts with (hex).
/// </summary>
public static class BarcodeKeysApi
{
    public const string KeysRoute = "barcode-keys";

    public static IEndpointRouteBuilder MapBarcodeKeysApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(KeysRoute, GetKeys).AllowAnonymous();
        return app;
    }

    public static Ok<BarcodeKeySet> GetKeys(BarcodeTokens tokens, HttpResponse response)
    {
        response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Ok(new BarcodeKeySet([.. tokens.Keys.Select(Describe)]));
    }

    private static BarcodeKey Describe(BarcodeVerificationKey verificationKey)
    {
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(verificationKey.PublicKeySpki, out _);
        var point = key.ExportParameters(includePrivateParameters: false).Q;
        return new BarcodeKey(
            verificationKey.KeyId, "EC", "P-256", Base64Url.EncodeToString(point.X!), Base64Url.EncodeToString(point.Y!), "ES256", "sig",
            Convert.ToBase64String(verificationKey.PublicKeySpki), verificationKey.Signing);
    }
}
