using System.Net;
using System.Net.Http.Headers;
using Google.Apis.Auth.OAuth2;

namespace WalletPasses.Google;

/// <summary>
/// Adds the service account's OAuth bearer token. The credential is a singleton that caches the token
/// and refreshes it before it expires, so handler instances (recycled by IHttpClientFactory) share it.
/// </summary>
internal sealed class GoogleWalletAuthHandler(ServiceAccountCredential credential) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var sentToken = await SetTokenAsync(request, cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        // Google no longer takes the cached token (revoked, or expired early for a lagging clock), which would fail every call
        // until it expires here: as Google's own client libraries do on a 401 (ServiceCredential.HandleResponseAsync in
        // Google.Apis.Auth), fetch a new token, unless another call already did, and send the request once more.
        response.Dispose();
        if (credential.Token?.AccessToken == sentToken)
        {
            await credential.RequestAccessTokenAsync(cancellationToken);
        }

        await SetTokenAsync(request, cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }

    /// <summary>Reads the key with Google.Apis.Auth, which takes the OAuth endpoint from the key's <c>token_uri</c>.</summary>
    public static ServiceAccountCredential CreateCredential(GoogleServiceAccountKey key) =>
        (ServiceAccountCredential)CredentialFactory.FromJson<ServiceAccountCredential>(key.Json)
            .ToGoogleCredential()
            .CreateScoped(GoogleWalletOptions.WalletObjectIssuerScope)
            .UnderlyingCredential;

    private async Task<string> SetTokenAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var accessToken = await credential.GetAccessTokenForRequestAsync(request.RequestUri?.ToString(), cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return accessToken;
    }
}
