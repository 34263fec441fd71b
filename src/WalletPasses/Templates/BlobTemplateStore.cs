using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using WalletPasses.Storage;

namespace WalletPasses.Templates;

/// <summary>
/// The program template from Blob Storage (<c>templates/{programId}/template.json</c> and <c>images/</c>),
/// cached in memory. A changed template is picked up without a restart; an invalid change is logged and
/// ignored, so a bad upload never breaks pass issuing.
/// </summary>
public sealed partial class BlobTemplateStore(
    StorageClients storage,
    IOptions<WalletPassesOptions> options,
    IEnumerable<ITemplateRule> rules,
    TimeProvider time,
    ILogger<BlobTemplateStore> logger) : ITemplateSource, IDisposable
{
    public static readonly JsonSerializerOptions TemplateJson = new(JsonSerializerDefaults.Web) { AllowTrailingCommas = true, ReadCommentHandling = JsonCommentHandling.Skip };

    private readonly SemaphoreSlim _refreshLock = new(1, 1);
    private readonly ITemplateRule[] _rules = rules.ToArray();
    private volatile Snapshot? _current;

    private string Prefix => options.Value.ProgramId + "/";

    public async ValueTask<LoadedTemplate> GetCurrentAsync(CancellationToken cancellationToken)
    {
        var current = _current;
        if (current is not null && time.GetUtcNow() - current.CheckedAt < options.Value.TemplateRefreshInterval)
        {
            return current.Template;
        }

        // One caller refreshes; the others keep serving the template they have.
        if (current is not null && !await _refreshLock.WaitAsync(0, cancellationToken))
        {
            return current.Template;
        }

        if (current is null)
        {
            await _refreshLock.WaitAsync(cancellationToken);
        }

        try
        {
            return (await RefreshAsync(cancellationToken)).Template;
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    /// <summary>
    /// Uploads the template shipped with the app when the program has none yet. <c>template.json</c> goes last, so
    /// its presence means a complete template (one request at every later start) and an operator's deletions stay.
    /// </summary>
    public async Task SeedDefaultAsync(CancellationToken cancellationToken)
    {
        var container = storage.Templates;
        if (await container.GetBlobClient(Prefix + DefaultTemplate.TemplateFileName).ExistsAsync(cancellationToken))
        {
            return;
        }

        var files = DefaultTemplate.Files().ToList();
        await Task.WhenAll(files.Where(file => file.Name != DefaultTemplate.TemplateFileName).Select(file => UploadIfMissingAsync(container, file.Name, file.Content, cancellationToken)));
        var template = files.Single(file => file.Name == DefaultTemplate.TemplateFileName);
        await UploadIfMissingAsync(container, template.Name, template.Content, cancellationToken);
    }

    private async Task UploadIfMissingAsync(BlobContainerClient container, string name, byte[] content, CancellationToken cancellationToken)
    {
        try
        {
            // If-None-Match: * makes concurrent first runs safe and never overwrites an operator's files.
            await container.GetBlobClient(Prefix + name).UploadAsync(
                new BinaryData(content),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All }, HttpHeaders = new BlobHttpHeaders { ContentType = name.EndsWith(".png", StringComparison.Ordinal) ? "image/png" : "application/json" } },
                cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Already there.
        }
    }

    private async Task<Snapshot> RefreshAsync(CancellationToken cancellationToken)
    {
        var current = _current;
        var templateBlob = storage.Templates.GetBlobClient(Prefix + "template.json");
        try
        {
            var properties = await templateBlob.GetPropertiesAsync(cancellationToken: cancellationToken);
            var version = properties.Value.ETag.ToString();
            if (current is not null && current.Template.Version == version && current.ImagesSignature == await ImagesSignatureAsync(cancellationToken))
            {
                return _current = current with { CheckedAt = time.GetUtcNow() };
            }

            var loaded = await LoadAsync(templateBlob, cancellationToken);
            LogTemplateLoaded(logger, loaded.Template.Template.ProgramId, loaded.Template.Version);
            return _current = loaded;
        }
        catch (Exception e) when (current is not null && e is RequestFailedException or InvalidTemplateException)
        {
            LogTemplateRejected(logger, e.Message);
            return _current = current with { CheckedAt = time.GetUtcNow() };
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new InvalidTemplateException($"No program template at '{StorageNames.TemplatesContainer}/{Prefix}template.json'.");
        }
    }

    private async Task<Snapshot> LoadAsync(BlobClient templateBlob, CancellationToken cancellationToken)
    {
        var download = await templateBlob.DownloadContentAsync(cancellationToken);
        ProgramTemplate template;
        try
        {
            template = JsonSerializer.Deserialize<ProgramTemplate>(download.Value.Content.ToMemory().Span, TemplateJson)
                ?? throw new InvalidTemplateException("template.json is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidTemplateException($"template.json is not a valid template: {e.Message}");
        }

        // The images download side by side: at start-up they are on the path to the first answer.
        var names = new List<string>();
        await foreach (var blob in storage.Templates.GetBlobsAsync(BlobTraits.None, BlobStates.None, Prefix + "images/", cancellationToken))
        {
            names.Add(blob.Name);
        }

        var downloads = await Task.WhenAll(names.Select(async name => (Name: name, Content: (await storage.Templates.GetBlobClient(name).DownloadContentAsync(cancellationToken)).Value)));
        var images = downloads.ToDictionary(download => download.Name[(Prefix.Length + "images/".Length)..], download => download.Content.Content.ToArray(), StringComparer.Ordinal);
        var signature = downloads.Select(download => download.Name + "@" + download.Content.Details.ETag).ToList();

        var errors = TemplateValidation.Validate(template, images, _rules);
        if (errors.Count > 0)
        {
            throw new InvalidTemplateException("The program template is invalid: " + string.Join(" ", errors));
        }

        return new Snapshot(new LoadedTemplate(template, images, download.Value.Details.ETag.ToString()), string.Join('|', signature.Order(StringComparer.Ordinal)), time.GetUtcNow());
    }

    // Image changes count as template changes too: a listing is one request, cheaper than downloading.
    private async Task<string> ImagesSignatureAsync(CancellationToken cancellationToken)
    {
        var signature = new List<string>();
        await foreach (var blob in storage.Templates.GetBlobsAsync(BlobTraits.None, BlobStates.None, Prefix + "images/", cancellationToken))
        {
            signature.Add(blob.Name + "@" + blob.Properties.ETag);
        }

        return string.Join('|', signature.Order(StringComparer.Ordinal));
    }

    public void Dispose() => _refreshLock.Dispose();

    [LoggerMessage(LogLevel.Information, "Loaded program template {ProgramId} version {Version}")]
    private static partial void LogTemplateLoaded(ILogger logger, string programId, string version);

    [LoggerMessage(LogLevel.Error, "Keeping the previous program template: {Reason}")]
    private static partial void LogTemplateRejected(ILogger logger, string reason);

    private sealed record Snapshot(LoadedTemplate Template, string ImagesSignature, DateTimeOffset CheckedAt);
}
