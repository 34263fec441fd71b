using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace WalletPasses.Storage;

/// <summary>Names of every table, container and queue the service owns.</summary>
public static class StorageNames
{
    public const string MembersTable = "members";
    public const string PassesTable = "passes";
    public const string DevicesTable = "devices";
    public const string ScansTable = "scans";
    public const string StaffKeysTable = "staffkeys";
    public const string TemplatesContainer = "templates";

    /// <summary>Raw bytes of loyalty-events messages that could not be decoded or moved to the poison queue.</summary>
    public const string RejectedLoyaltyEventsContainer = "loyalty-events-rejected";
    public const string LoyaltyEventsQueue = "loyalty-events";
    public const string LoyaltyEventsPoisonQueue = LoyaltyEventsQueue + "-poison";
    public const string PassActivityQueue = "pass-activity";

    /// <summary>Members whose pass announcement may still be pending: the retry index of the outbox.</summary>
    public const string AnnouncementsDueTable = "announcementsdue";

    /// <summary>Nonces of Google's save/delete callbacks, so a replayed callback takes effect once.</summary>
    public const string GoogleCallbacksTable = "googlecallbacks";

    /// <summary>Points redemption requests the webhook has not delivered yet.</summary>
    public const string PointsWebhookTable = "pointswebhook";

    /// <summary>What devices did with pass versions (list calls, fetches, log lines), per member, newest first.</summary>
    public const string DeliveryTraceTable = "deliverytrace";

    /// <summary>Template publications and the checkpoints of their bulk re-issue.</summary>
    public const string PublicationsTable = "publications";

    public static readonly string[] Tables = [MembersTable, PassesTable, DevicesTable, AnnouncementsDueTable, GoogleCallbacksTable, ScansTable, StaffKeysTable, PointsWebhookTable, DeliveryTraceTable, PublicationsTable];
    public static readonly string[] Containers = [TemplatesContainer, RejectedLoyaltyEventsContainer];
    public static readonly string[] Queues = [LoyaltyEventsQueue, LoyaltyEventsPoisonQueue, PassActivityQueue];
}

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

    public StorageClients(IConfiguration configuration)
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
            Tables = new TableServiceClient(connectionString);
            Blobs = new BlobServiceClient(connectionString);
            Queues = new QueueServiceClient(connectionString, queueOptions);
            RawQueues = new QueueServiceClient(connectionString);
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
        Tables = new TableServiceClient(new Uri(tableUri), credential);
        Blobs = new BlobServiceClient(new Uri(blobUri), credential);
        Queues = new QueueServiceClient(new Uri(queueUri), credential, queueOptions);
        RawQueues = new QueueServiceClient(new Uri(queueUri), credential);
    }

    public string NamePrefix { get; }

    public TableServiceClient Tables { get; }

    public BlobServiceClient Blobs { get; }

    public QueueServiceClient Queues { get; }

    /// <summary>
    /// Queues without message encoding: receiving through them never fails on a message that is not base64,
    /// so each message can be decoded (and set aside) on its own, as the Functions queue extension does.
    /// </summary>
    public QueueServiceClient RawQueues { get; }

    public TableClient Members => Table(StorageNames.MembersTable);

    public TableClient Passes => Table(StorageNames.PassesTable);

    public TableClient Devices => Table(StorageNames.DevicesTable);

    public BlobContainerClient Templates => Container(StorageNames.TemplatesContainer);

    public QueueClient LoyaltyEvents => Queue(StorageNames.LoyaltyEventsQueue);

    public QueueClient LoyaltyEventsPoison => Queue(StorageNames.LoyaltyEventsPoisonQueue);

    public QueueClient LoyaltyEventsRaw => RawQueues.GetQueueClient(NamePrefix + StorageNames.LoyaltyEventsQueue);

    public BlobContainerClient RejectedLoyaltyEvents => Container(StorageNames.RejectedLoyaltyEventsContainer);

    public QueueClient PassActivity => Queue(StorageNames.PassActivityQueue);

    public TableClient Table(string name) => Tables.GetTableClient(NamePrefix + name);

    public QueueClient Queue(string name) => Queues.GetQueueClient(NamePrefix + name);

    public BlobContainerClient Container(string name) => Blobs.GetBlobContainerClient(NamePrefix + name);
}
