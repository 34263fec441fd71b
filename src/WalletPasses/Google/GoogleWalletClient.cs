using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace WalletPasses.Google;

/// <summary>
/// Typed client for the loyalty resources of the Google Wallet REST API (walletobjects v1).
/// Authentication, the client-side rate limit and retries live in the handlers that
/// <see cref="GoogleWalletServiceCollectionExtensions.AddGoogleWalletClient(IServiceCollection, IConfiguration)"/> wires in.
/// </summary>
public sealed class GoogleWalletClient(HttpClient httpClient)
{
    private const string ClassCollection = "loyaltyClass";
    private const string ObjectCollection = "loyaltyObject";

    /// <summary>The path of every addMessage call ends so; the retry handler leaves those calls alone.</summary>
    public const string AddMessagePathSuffix = "/addMessage";

    public async Task<LoyaltyClass> InsertClassAsync(LoyaltyClass loyaltyClass, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(loyaltyClass);
        return await SendRequiredAsync<LoyaltyClass, LoyaltyClass>(HttpMethod.Post, ClassCollection, ResourcePath(ClassCollection, loyaltyClass.Id), loyaltyClass, cancellationToken);
    }

    /// <returns>The class, or null when Google does not know the id.</returns>
    public Task<LoyaltyClass?> GetClassAsync(string classId, CancellationToken cancellationToken = default) =>
        SendAsync<object, LoyaltyClass>(HttpMethod.Get, ResourcePath(ClassCollection, classId), body: null, HttpStatusCode.NotFound, cancellationToken);

    /// <summary>Replaces the whole class (PUT): fields left null are cleared.</summary>
    public async Task<LoyaltyClass> UpdateClassAsync(LoyaltyClass loyaltyClass, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(loyaltyClass);
        return await SendRequiredAsync<LoyaltyClass, LoyaltyClass>(
            HttpMethod.Put, ResourcePath(ClassCollection, loyaltyClass.Id), loyaltyClass, cancellationToken);
    }

    /// <summary>Changes only the fields set in <paramref name="patch"/> (an array replaces the whole array).</summary>
    public async Task<LoyaltyClass> PatchClassAsync(LoyaltyClass patch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patch);
        return await SendRequiredAsync<LoyaltyClass, LoyaltyClass>(
            HttpMethod.Patch, ResourcePath(ClassCollection, patch.Id), patch, cancellationToken);
    }

    public async Task<LoyaltyObject> InsertObjectAsync(LoyaltyObject loyaltyObject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(loyaltyObject);
        return await SendRequiredAsync<LoyaltyObject, LoyaltyObject>(HttpMethod.Post, ObjectCollection, ResourcePath(ObjectCollection, loyaltyObject.Id), loyaltyObject, cancellationToken);
    }

    /// <returns>The object, or null when Google does not know the id.</returns>
    public Task<LoyaltyObject?> GetObjectAsync(string objectId, CancellationToken cancellationToken = default) =>
        SendAsync<object, LoyaltyObject>(HttpMethod.Get, ResourcePath(ObjectCollection, objectId), body: null, HttpStatusCode.NotFound, cancellationToken);

    /// <summary>Replaces the whole object (PUT): fields left null are cleared, which is how personal data leaves a voided pass.</summary>
    public async Task<LoyaltyObject> UpdateObjectAsync(LoyaltyObject loyaltyObject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(loyaltyObject);
        return await SendRequiredAsync<LoyaltyObject, LoyaltyObject>(
            HttpMethod.Put, ResourcePath(ObjectCollection, loyaltyObject.Id), loyaltyObject, cancellationToken);
    }

    /// <summary>Changes only the fields set in <paramref name="patch"/> (an array replaces the whole array); reaches the holder's device by itself.</summary>
    public async Task<LoyaltyObject> PatchObjectAsync(LoyaltyObject patch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patch);
        return await SendRequiredAsync<LoyaltyObject, LoyaltyObject>(
            HttpMethod.Patch, ResourcePath(ObjectCollection, patch.Id), patch, cancellationToken);
    }

    /// <summary>
    /// Adds a message to the object's message list; <see cref="MessageType.TextAndNotify"/> also notifies the holder.
    /// Not idempotent (a repeat shows the message twice), so it is never retried automatically: see <see cref="AddMessagePathSuffix"/>.
    /// </summary>
    /// <returns>The object as it is after the message was added.</returns>
    public async Task<LoyaltyObject> AddObjectMessageAsync(string objectId, Message message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var response = await SendRequiredAsync<AddMessageRequest, LoyaltyObjectAddMessageResponse>(
            HttpMethod.Post, ResourcePath(ObjectCollection, objectId) + AddMessagePathSuffix, new AddMessageRequest(message), cancellationToken);
        return response.Resource;
    }

    /// <summary>
    /// Inserts the object; when it already exists (409), gets it and patches it with the fields set in
    /// <paramref name="loyaltyObject"/>. The patch is skipped when the stored object already has exactly those
    /// values, so a redelivered event costs no write and no device update.
    /// </summary>
    public async Task<LoyaltyObject> UpsertObjectAsync(LoyaltyObject loyaltyObject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(loyaltyObject);
        var inserted = await SendAsync<LoyaltyObject, LoyaltyObject>(
            HttpMethod.Post, ObjectCollection, ResourcePath(ObjectCollection, loyaltyObject.Id), loyaltyObject, HttpStatusCode.Conflict, cancellationToken);
        if (inserted is not null)
        {
            return inserted;
        }

        var existing = await GetObjectAsync(loyaltyObject.Id, cancellationToken);
        if (existing is not null && GoogleWalletJson.HasAllFieldsOf(existing, loyaltyObject))
        {
            return existing;
        }

        return await PatchObjectAsync(loyaltyObject, cancellationToken);
    }

    private static string ResourcePath(string collection, string resourceId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(resourceId);
        return collection + "/" + Uri.EscapeDataString(resourceId);
    }

    private Task<TResponse> SendRequiredAsync<TBody, TResponse>(HttpMethod method, string path, TBody body, CancellationToken cancellationToken)
        where TResponse : class =>
        SendRequiredAsync<TBody, TResponse>(method, path, resource: path, body, cancellationToken);

    private async Task<TResponse> SendRequiredAsync<TBody, TResponse>(
        HttpMethod method, string path, string resource, TBody body, CancellationToken cancellationToken)
        where TResponse : class =>
        await SendAsync<TBody, TResponse>(method, path, resource, body, toleratedStatus: null, cancellationToken)
        ?? throw new GoogleWalletException(HttpStatusCode.OK, googleStatus: null, $"Google Wallet {method} {path} answered an empty body.");

    private Task<TResponse?> SendAsync<TBody, TResponse>(
        HttpMethod method, string path, TBody? body, HttpStatusCode? toleratedStatus, CancellationToken cancellationToken)
        where TResponse : class =>
        SendAsync<TBody, TResponse>(method, path, resource: path, body, toleratedStatus, cancellationToken);

    /// <param name="resource">The object or class called (an insert's path is its collection), for health's record of refused writes.</param>
    /// <returns>The parsed response, or null when Google answered <paramref name="toleratedStatus"/>.</returns>
    private async Task<TResponse?> SendAsync<TBody, TResponse>(
        HttpMethod method, string path, string resource, TBody? body, HttpStatusCode? toleratedStatus, CancellationToken cancellationToken)
        where TResponse : class
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Options.Set(GoogleWalletHealthHandler.Resource, resource);
        if (body is not null)
        {
            // Buffered bytes (not a streamed JsonContent): a Content-Length, and the retry handler can resend them.
            request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, GoogleWalletJson.Options));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json", "utf-8");
        }

        using var response = await httpClient.SendAsync(request, cancellationToken);
        if (response.StatusCode == toleratedStatus)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw await GoogleWalletException.FromResponseAsync(method, path, response, cancellationToken);
        }

        var content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return content.Length == 0 ? null : JsonSerializer.Deserialize<TResponse>(content, GoogleWalletJson.Options);
    }
}
