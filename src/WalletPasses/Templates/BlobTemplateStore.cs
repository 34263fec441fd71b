using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using WalletPasses.Storage;

namespace WalletPasses.Templates;

/// <summary>
/// The program template from Blob Storage, cached in memory: the published version <see cref="PublishedTemplates"/> points
/// at, or, before the first publication, <c>templates/{programId}/template.json</c> and <c>images/</c> (version 0). A changed template is picked up without a restart; an invalid change is logged and
/// ignored, so a bad upload never breaks pass issuing.
/// </summary>
public sealed partial class BlobTemplateStore(
    string programId,
    StorageClients storage,
    PublishedTemplates published,
    IOptions<WalletPassesOptions> options,
    IEnumerable<ITemplateRule> rules,
    TimeProvider time,
    ILogger<BlobTemplateStore> logger) : ITemplateSource, IDisposable
{
    public static readonly JsonSerializerOptions TemplateJson = new(JsonSerializerDefaults.Web) { AllowTrailingCommas = true, ReadCommentHandling = JsonCommentHandling.Skip };

    private readonly SemaphoreSlim _refreshLock = new(1, 1);
    private readonly ITemplateRule[] _rules = rules.ToArray();
    private volatile Snapshot? _current;

    /// <summary>The program whose template this is.</summary>
    public string ProgramId => programId;

    private string Prefix => PublishedTemplates.UnpublishedPrefix(programId);

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

    /// <summary>
    /// The current template, at least version <paramref name="number"/>: a pass version made with a newer published
    /// template than this instance has loaded makes it look again at once, so it is never built with the old look.
    /// </summary>
    public async ValueTask<LoadedTemplate> GetAtLeastAsync(long number, CancellationToken cancellationToken)
    {
        var template = await GetCurrentAsync(cancellationToken);
        if (template.Number >= number)
        {
            return template;
        }

        await _refreshLock.WaitAsync(cancellationToken);
        try
        {
            return _current?.Template is { } current && current.Number >= number ? current : (await RefreshAsync(cancellationToken)).Template;
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    public async ValueTask<LoadedTemplate> GetLatestAsync(CancellationToken cancellationToken)
    {
        await _refreshLock.WaitAsync(cancellationToken);
        try
        {
            return (await RefreshAsync(cancellationToken)).Template;
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    private async Task<Snapshot> RefreshAsync(CancellationToken cancellationToken)
    {
        var current = _current;
        try
        {
            var pointer = (await published.CurrentAsync(programId, cancellationToken))?.Pointer;
            if (pointer is not null && current is not null && current.Template.Number == pointer.Number)
            {
                return _current = current with { CheckedAt = time.GetUtcNow() }; // a published version never changes
            }

            var prefix = pointer is null ? Prefix : PublishedTemplates.VersionPrefix(programId, pointer.PublicationId);
            // The template.json's ETag only when there is a loaded one to compare it with: the first load (on a cold
            // start's path to the first answer) goes straight to the download.
            if (current is not null && current.Template.Number == (pointer?.Number ?? 0)
                && current.Template.Version == (await storage.Templates.GetBlobClient(prefix + TemplatePackage.TemplateFile).GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ETag.ToString()
                && current.ImagesSignature == await TemplateBlobFolder.ImagesSignatureAsync(storage.Templates, prefix, cancellationToken))
            {
                return _current = current with { CheckedAt = time.GetUtcNow() };
            }

            var loaded = await LoadAsync(prefix, pointer, cancellationToken);
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

    private async Task<Snapshot> LoadAsync(string prefix, TemplatePointer? pointer, CancellationToken cancellationToken)
    {
        var stored = await TemplateBlobFolder.ReadAsync(storage.Templates, prefix, cancellationToken)
            ?? throw new RequestFailedException(404, $"No template.json below '{prefix}'.");
        var errors = TemplateValidation.Validate(stored.Package.Template, stored.Package.Images, _rules);
        if (errors.Count > 0)
        {
            throw new InvalidTemplateException("The program template is invalid: " + string.Join(" ", errors));
        }

        return new Snapshot(PublishedTemplates.ToLoaded(stored, pointer), stored.ImagesSignature, time.GetUtcNow());
    }

    public void Dispose() => _refreshLock.Dispose();

    [LoggerMessage(LogLevel.Information, "Loaded program template {ProgramId} version {Version}")]
    private static partial void LogTemplateLoaded(ILogger logger, string programId, string version);

    [LoggerMessage(LogLevel.Error, "Keeping the previous program template: {Reason}")]
    private static partial void LogTemplateRejected(ILogger logger, string reason);

    private sealed record Snapshot(LoadedTemplate Template, string ImagesSignature, DateTimeOffset CheckedAt);
}
