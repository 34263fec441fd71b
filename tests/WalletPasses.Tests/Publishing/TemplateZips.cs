using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Publishing;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Publishing;

/// <summary>Template zips as an operator makes them: download the published one, change template.json (or an image), upload.</summary>
public static class TemplateZips
{
    public const string Route = "/api/programs/default/template";

    public static async Task<Dictionary<string, byte[]>> DownloadAsync(HttpClient backend)
    {
        var response = await backend.GetAsync(new Uri(Route, UriKind.Relative));
        response.EnsureSuccessStatusCode();
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        return Entries(await response.Content.ReadAsByteArrayAsync());
    }

    public static Dictionary<string, byte[]> Entries(byte[] zipBytes)
    {
        using var zip = new ZipArchive(new MemoryStream(zipBytes), ZipArchiveMode.Read);
        return zip.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var stream = e.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        });
    }

    public static byte[] Zip(IEnumerable<KeyValuePair<string, byte[]>> entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(bytes);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>The published template with <paramref name="change"/> applied to its template.json.</summary>
    public static async Task<byte[]> ChangedAsync(HttpClient backend, Action<JsonNode> change)
    {
        var entries = await DownloadAsync(backend);
        var template = JsonNode.Parse(entries["template.json"])!;
        change(template);
        entries["template.json"] = Encoding.UTF8.GetBytes(template.ToJsonString());
        return Zip(entries);
    }

    public static Task<HttpResponseMessage> UploadAsync(HttpClient backend, byte[] zip, string route = Route)
    {
        var content = new ByteArrayContent(zip);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return backend.PutAsync(new Uri(route, UriKind.Relative), content);
    }

    /// <summary>
    /// Publishes the template with <paramref name="change"/> applied and runs <paramref name="app"/>'s re-issue job until
    /// the publication is done (at most 10 runs); returns the publication id.
    /// </summary>
    public static async Task<string> PublishChangedAsync(WalletPassesFactory app, HttpClient backend, Action<JsonNode> change)
    {
        Assert.Equal(HttpStatusCode.NoContent, (await UploadAsync(backend, await ChangedAsync(backend, change))).StatusCode);
        var published = await backend.PostAsync(new Uri("/api/programs/default/template/publish", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, published.StatusCode);
        var publicationId = (await published.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("publicationId").GetString()!;
        var job = app.Services.GetRequiredService<BulkReissueJob>();
        for (var run = 0; run < 10 && (await backend.GetFromJsonAsync<JsonElement>($"/api/programs/default/template/publications/{publicationId}")).GetProperty("state").GetString() == PublicationStates.Running; run++)
        {
            await job.RunOnceAsync(CancellationToken.None);
        }

        return publicationId;
    }

    /// <summary>A factory of its own (its own storage), so counts of members and pushes are this test's alone.</summary>
    public static async Task<WalletPassesFactory> StartAppAsync(IDictionary<string, string?>? settings = null)
    {
        var azurite = await AzuriteServer.Shared;
        var factory = new WalletPassesFactory(azurite.ConnectionString, settings);
        using var client = factory.CreateClient();
        (await client.GetAsync(new Uri("/api/health", UriKind.Relative))).EnsureSuccessStatusCode();
        return factory;
    }
}
