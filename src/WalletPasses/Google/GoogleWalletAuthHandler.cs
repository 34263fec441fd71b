using System.Net.Http.Headers;
using Google.Apis.Auth.OAuth2;

namespace WalletPasses.Google;

/// <summary>
/// Adds the service account's OAuth bearer token. The credential is a singleton that caches the token
/// and refreshes it before it expires, so handler instances (recycled by IHttpClientFactory) share it.
/// </summary>
internal sealed class GoogleWalletAuthHandler(ITokenAccess credential) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var accessToken = await credential.GetAccessTokenForRequestAsync(request.RequestUri?.ToString(), cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await base.SendAsync(request, cancellationToken);
    }

    /// <summary>Reads the key with Google.Apis.Auth, which takes the OAuth endpoint from the key's <c>token_uri</c>.</summary>
    public static ITokenAccess CreateCredential(GoogleServiceAccountKey key) =>
        CredentialFactory.FromJson<ServiceAccountCredential>(key.Json)
            .ToGoogleCredential()
            .CreateScoped(GoogleWalletOptions.WalletObjectIssuerScope);
}
