using Azure;
using WalletPasses.Apple;
using WalletPasses.Storage;
using WalletPasses.Templates;

namespace WalletPasses.Hosting;

/// <summary>
/// Runs before the app serves: creates the tables, containers and queues, uploads the default template
/// on first run, and loads the template once so an invalid one stops start-up with a clear message.
/// </summary>
public sealed partial class StorageInitializer(
    StorageClients storage,
    BlobTemplateStore templates,
    PassCertificates certificates,
    Microsoft.Extensions.Options.IOptions<AppleOptions> appleOptions,
    TimeProvider time,
    ILogger<StorageInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var creations = StorageNames.Tables.Select(name => IgnoreExisting(storage.Table(name).CreateIfNotExistsAsync(cancellationToken)))
            .Concat(StorageNames.Containers.Select(name => IgnoreExisting(storage.Container(name).CreateIfNotExistsAsync(cancellationToken: cancellationToken))))
            .Concat(StorageNames.Queues.Select(name => IgnoreExisting(storage.Queue(name).CreateIfNotExistsAsync(cancellationToken: cancellationToken))));
        await Task.WhenAll(creations);

        await templates.SeedDefaultAsync(cancellationToken);
        var template = await templates.GetCurrentAsync(cancellationToken);
        LogReady(logger, template.Template.ProgramId, certificates.PassTypeIdentifier ?? "?");

        var daysLeft = (certificates.ExpiresAt - time.GetUtcNow()).TotalDays;
        if (daysLeft < appleOptions.Value.CertificateExpiryWarningDays)
        {
            LogCertificateExpiring(logger, certificates.ExpiresAt, (int)daysLeft);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

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

    [LoggerMessage(LogLevel.Information, "Storage ready; issuing passes for program {ProgramId} as {PassTypeIdentifier}")]
    private static partial void LogReady(ILogger logger, string programId, string passTypeIdentifier);

    [LoggerMessage(LogLevel.Warning, "The pass certificate expires on {ExpiresAt:yyyy-MM-dd} ({DaysLeft} days): renew it, or installed passes stop updating")]
    private static partial void LogCertificateExpiring(ILogger logger, DateTimeOffset expiresAt, int daysLeft);
}
