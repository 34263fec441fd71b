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
    public const string TemplatesContainer = "templates";
    public const string LoyaltyEventsQueue = "loyalty-events";
    public const string PassActivityQueue = "pass-activity";

    public static readonly string[] Tables = [MembersTable, PassesTable, DevicesTable];
    public static readonly string[] Containers = [TemplatesContainer];
    public static readonly string[] Queues = [LoyaltyEventsQueue, LoyaltyEventsQueue + "-poison", PassActivityQueue];
}

/// <summary>
/// Table, Blob and Queue clients from the Functions storage setting: <c>AzureWebJobsStorage</c> as a
/// connection string, or identity-based (<c>AzureWebJobsStorage__accountName</c> or
/// <c>__tableServiceUri/__blobServiceUri/__queueServiceUri</c>) with DefaultAzureCredential (managed identity in Azure).
/// </summary>
public sealed class StorageClients
{
    public const string Setting = "AzureWebJobsStorage";

    public StorageClients(IConfiguration configuration)
    {
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }; // what the Functions queue trigger expects
        var connectionString = configuration[Setting];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            Tables = new TableServiceClient(connectionString);
            Blobs = new BlobServiceClient(connectionString);
            Queues = new QueueServiceClient(connectionString, queueOptions);
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
    }

    public TableServiceClient Tables { get; }

    public BlobServiceClient Blobs { get; }

    public QueueServiceClient Queues { get; }

    public TableClient Members => Tables.GetTableClient(StorageNames.MembersTable);

    public TableClient Passes => Tables.GetTableClient(StorageNames.PassesTable);

    public TableClient Devices => Tables.GetTableClient(StorageNames.DevicesTable);

    public BlobContainerClient Templates => Blobs.GetBlobContainerClient(StorageNames.TemplatesContainer);
}
