using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace WalletPasses.Storage;

/// <summary>
/// Table, Blob and Queue clients from the Functions storage setting: <c>AzureWebJobsStorage</c> as a
/// connection string, or identity-based (<c>AzureWebJobsStorage__accountName</c> or
/// <c>__tableServiceUri/__blobServiceUri/__queueServiceUri</c>) with DefaultAzureCredential (managed identity in Azure).
/// </summary>
public sealed class StorageClients
{
    public const string Setting = "AzureWebJobsStorage";

    /// <summary>
    /// Optional prefix of every table, queue and container name (lowercase letters and digits), so several
    /// deployments or test runs can share one storage account. Empty in production: the queue names are
    /// part of the public contract.
    /// </summary>
    public const string NamePrefixSetting = "WalletPasses:Storage:NamePrefix";

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TableClient> _tables = new(StringComparer.Ordinal);

    // Built when first used: a scaled-from-zero instance's first answer (health) reads tables and blobs only, and
    // each service client costs its pipeline's construction and JIT-compiled code on that path.
    private readonly Lazy<QueueServiceClient> _queues;
    private readonly Lazy<QueueServiceClient> _rawQueues;

    public StorageClients(IConfiguration configuration)
        : this(configuration, new TableClientOptions())
    {
    }

    /// <summary>With the table clients' own options: a test adds a pipeline policy to stop a run at a chosen request.</summary>
    internal StorageClients(IConfiguration configuration, TableClientOptions tableOptions)
    {
        NamePrefix = configuration[NamePrefixSetting] ?? "";
        if (NamePrefix.Length > 20 || !NamePrefix.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)) || (NamePrefix.Length > 0 && !char.IsAsciiLetterLower(NamePrefix[0])))
        {
            throw new InvalidOperationException($"{NamePrefixSetting} must be up to 20 lowercase letters and digits, starting with a letter.");
        }

        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }; // what the Functions queue trigger expects
        var connectionString = configuration[Setting];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            Tables = new TableServiceClient(connectionString, tableOptions);
            Blobs = new BlobServiceClient(connectionString);
            _queues = new(() => new QueueServiceClient(connectionString, queueOptions));
            _rawQueues = new(() => new QueueServiceClient(connectionString));
            return;
        }

        var section = configuration.GetSection(Setting);
        var accountName = section["accountName"];
        var tableUri = section["tableServiceUri"] ?? (accountName is null ? null : $"https://{accountName}.table.core.windows.net");
        var blobUri = section["blobServiceUri"] ?? (accountName is null ? null : $"https://{accountName}.blob.core.windows.net");
        var queueUri = section["queueServiceUri"] ?? (accountName is null ? null : $"https://{accountName}.queue.core.windows.net");
        if (tableUri is null || blobUri is null || queueUri is null)
        {
            throw new InvalidOperationException(
                $"Storage is not configured: set {Setting} to a connection string (UseDevelopmentStorage=true for Azurite) or {Setting}__accountName for managed identity.");
        }

        var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = section["clientId"] });
        Tables = new TableServiceClient(new Uri(tableUri), credential, tableOptions);
        Blobs = new BlobServiceClient(new Uri(blobUri), credential);
        var queueServiceUri = new Uri(queueUri); // parsed now: a bad address stops start-up, not the first queue call
        _queues = new(() => new QueueServiceClient(queueServiceUri, credential, queueOptions));
        _rawQueues = new(() => new QueueServiceClient(queueServiceUri, credential));
    }

    public string NamePrefix { get; }

    public TableServiceClient Tables { get; }

    public BlobServiceClient Blobs { get; }

    public QueueServiceClient Queues => _queues.Value;

    /// <summary>
    /// Queues without message encoding: receiving through them never fails on a message that is not base64,
    /// so each message can be decoded (and set aside) on its own, as the Functions queue extension does.
    /// </summary>
    public QueueServiceClient RawQueues => _rawQueues.Value;

    public TableClient Members => Table(StorageNames.MembersTable);

    public TableClient Passes => Table(StorageNames.PassesTable);

    public TableClient Devices => Table(StorageNames.DevicesTable);

    public BlobContainerClient Templates => Container(StorageNames.TemplatesContainer);

    public QueueClient LoyaltyEvents => Queue(StorageNames.LoyaltyEventsQueue);

    public QueueClient LoyaltyEventsPoison => Queue(StorageNames.LoyaltyEventsPoisonQueue);

    public QueueClient LoyaltyEventsRaw => RawQueues.GetQueueClient(NamePrefix + StorageNames.LoyaltyEventsQueue);

    public BlobContainerClient RejectedLoyaltyEvents => Container(StorageNames.RejectedLoyaltyEventsContainer);

    public QueueClient PassActivity => Queue(StorageNames.PassActivityQueue);

    /// <summary>One client per table for the app's life (clients are thread-safe): not one built per call on every request.</summary>
    public TableClient Table(string name) => _tables.GetOrAdd(name, static (table, self) => self.Tables.GetTableClient(self.NamePrefix + table), this);

    public QueueClient Queue(string name) => Queues.GetQueueClient(NamePrefix + name);

    public BlobContainerClient Container(string name) => Blobs.GetBlobContainerClient(NamePrefix + name);
}
