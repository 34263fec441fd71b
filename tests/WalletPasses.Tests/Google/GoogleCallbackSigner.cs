using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using WalletPasses.Google;

namespace WalletPasses.Tests.Google;

/// <summary>
/// Signs save/delete callbacks like Google: a root key signs the intermediate key's JSON (with '=' escaped as
/// \u003d, as Google's serializer does), the intermediate key signs the message for the sender and issuer id.
/// </summary>
public sealed class GoogleCallbackSigner : IDisposable
{
    public const string Protocol = "ECv2SigningOnly";
    public const string DefaultSenderId = "GooglePayPasses";

    public ECDsa RootKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public ECDsa IntermediateKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>The signed message: the JSON string Google puts in <c>signedMessage</c>.</summary>
    public static string Message(string classId, string objectId, string eventType, DateTimeOffset expiresAt, string nonce, int count = 1) =>
        JsonSerializer.Serialize(new { classId, objectId, eventType, expTimeMillis = expiresAt.ToUnixTimeMilliseconds(), count, nonce });

    /// <summary>The callback body Google would POST for <paramref name="signedMessage"/>.</summary>
    public string Callback(string signedMessage, string issuerId, DateTimeOffset intermediateKeyExpiration, string senderId = DefaultSenderId)
    {
        var signedKey = JsonSerializer.Serialize(new
        {
            keyValue = Convert.ToBase64String(IntermediateKey.ExportSubjectPublicKeyInfo()),
            keyExpiration = intermediateKeyExpiration.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        }).Replace("=", "\\u003d", StringComparison.Ordinal);

        return JsonSerializer.Serialize(new
        {
            signature = Sign(IntermediateKey, senderId, issuerId, Protocol, signedMessage),
            intermediateSigningKey = new { signedKey, signatures = new[] { Sign(RootKey, senderId, Protocol, signedKey) } },
            protocolVersion = Protocol,
            signedMessage,
        });
    }

    public void Dispose()
    {
        RootKey.Dispose();
        IntermediateKey.Dispose();
    }

    private static string Sign(ECDsa key, params string[] parts) =>
        Convert.ToBase64String(key.SignData(
            CallbackVerifier.LengthPrefixed(parts), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
}
