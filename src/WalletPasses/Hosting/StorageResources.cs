using Azure;
using WalletPasses.Storage;

namespace WalletPasses.Hosting;

/// <summary>
/// Creates every table, container and queue once per deployment: a marker blob names them all, so every later start
/// makes one request, and a version that adds one sets storage up again. Apart from <see cref="StorageInitializer"/>
/// because it needs nothing but the storage clients: <see cref="EarlyStartUp"/> starts it while the pass certificates,
/// which the rest of the set-up needs, are still being opened. One attempt at a time; a failed one is tried again by
/// the next caller.
/// </summary>
public sealed class StorageResources(StorageClients storage)
{
    /// <summary>Written once every table, container and queue exists; named by their list, so a new one renames it.</summary>
    private static readonly string SetUpMarker = "_set-up/" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
        System.Text.Encoding.UTF8.GetBytes(string.Join('|', StorageNames.Tables.Concat(StorageNames.Containers).Concat(StorageNames.Queues)))))[..16];

    private readonly Lock _gate = new();
    private Task? _created;

    public Task EnsureCreatedAsync()
    {
        lock (_gate)
        {
            if (_created is null || _created.IsFaulted || _created.IsCanceled)
            {
                _created = CreateAsync();
            }

            return _created;
        }
    }

    private async Task CreateAsync()
    {
        var marker = storage.Templates.GetBlobClient(SetUpMarker);
        if (!await marker.ExistsAsync(CancellationToken.None))
        {
            await CreateResourcesAsync();
            await marker.UploadAsync(new BinaryData(string.Join('\n', StorageNames.Tables.Concat(StorageNames.Containers).Concat(StorageNames.Queues))), overwrite: true, CancellationToken.None);
        }
    }

    private Task CreateResourcesAsync()
    {
        var creations = StorageNames.Tables.Select(name => IgnoreExisting(storage.Table(name).CreateIfNotExistsAsync(CancellationToken.None)))
            .Concat(StorageNames.Containers.Select(name => IgnoreExisting(storage.Container(name).CreateIfNotExistsAsync(cancellationToken: CancellationToken.None))))
            .Concat(StorageNames.Queues.Select(name => IgnoreExisting(storage.Queue(name).CreateIfNotExistsAsync(cancellationToken: CancellationToken.None))));
        return Task.WhenAll(creations);
    }

    private static async Task IgnoreExisting(Task creation)
    {
        try
        {
            await creation;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Created concurrently by another instance.
        }
    }
}
