using System.Text.Json;
using WalletPasses.Http;

using WalletPasses.Storage;

namespace WalletPasses.Activity;

/// <summary>
/// What happened to passes, for the loyalty backend: one JSON message per activity on the
/// <c>pass-activity</c> queue (base64, like every queue here). Each message has <c>type</c>, <c>id</c>
/// (unique per activity: delivery is at least once, so consumers de-duplicate on it) and <c>occurredAt</c>.
/// </summary>
public sealed class PassActivityPublisher(StorageClients storage)
{
    public static string Serialize<T>(T activity)
        where T : IPassActivity => JsonSerializer.Serialize(activity, JsonBody.SerializerOptions);

    public Task PublishAsync<T>(T activity, CancellationToken cancellationToken)
        where T : IPassActivity => PublishJsonAsync(Serialize(activity), cancellationToken);

    /// <summary>Publishes a message serialized earlier (kept until it could be sent).</summary>
    public async Task PublishJsonAsync(string json, CancellationToken cancellationToken) =>
        await storage.PassActivity.SendMessageAsync(json, cancellationToken);
}
