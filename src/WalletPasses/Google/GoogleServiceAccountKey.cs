using System.Text.Json;
using System.Text.Json.Serialization;

namespace WalletPasses.Google;

/// <summary>
/// The parts of a service-account JSON key this service uses. A class rather than a record so that
/// the private key never shows up in a generated <c>ToString()</c> or in logs.
/// </summary>
public sealed class GoogleServiceAccountKey
{
    private GoogleServiceAccountKey(string json, string clientEmail, string privateKeyPem, Uri tokenUri)
    {
        Json = json;
        ClientEmail = clientEmail;
        PrivateKeyPem = privateKeyPem;
        TokenUri = tokenUri;
    }

    /// <summary>The key file's full JSON, as Google.Apis.Auth reads it.</summary>
    internal string Json { get; }

    /// <summary>The service account's email: the <c>iss</c> of save JWTs.</summary>
    public string ClientEmail { get; }

    /// <summary>PKCS#8 PEM of the RSA private key.</summary>
    internal string PrivateKeyPem { get; }

    /// <summary>The OAuth token endpoint (Google's, or a local fake's in tests).</summary>
    public Uri TokenUri { get; }

    public static GoogleServiceAccountKey Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Parse(File.ReadAllText(path));
    }

    /// <summary>The key from whichever of <c>ServiceAccountKeyJson</c> and <c>ServiceAccountKeyFile</c> is set.</summary>
    public static GoogleServiceAccountKey Load(GoogleWalletOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.HasKeyJson ? Parse(options.ServiceAccountKeyJson) : Load(options.ServiceAccountKeyFile);
    }

    public static GoogleServiceAccountKey Parse(string json)
    {
        var fields = JsonSerializer.Deserialize<KeyFileFields>(json)
            ?? throw new InvalidOperationException("The service-account key is empty.");
        if (fields.Type != "service_account"
            || string.IsNullOrEmpty(fields.ClientEmail)
            || string.IsNullOrEmpty(fields.PrivateKey)
            || !Uri.TryCreate(fields.TokenUri, UriKind.Absolute, out var tokenUri))
        {
            // Never echo the key: it holds the private key.
            throw new InvalidOperationException(
                "The service-account key needs type \"service_account\", client_email, private_key and an absolute token_uri.");
        }

        return new GoogleServiceAccountKey(json, fields.ClientEmail, fields.PrivateKey, tokenUri);
    }

    private sealed record KeyFileFields(
        [property: JsonPropertyName("type")] string? Type,
        [property: JsonPropertyName("client_email")] string? ClientEmail,
        [property: JsonPropertyName("private_key")] string? PrivateKey,
        [property: JsonPropertyName("token_uri")] string? TokenUri);
}
