using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Programs;
using WalletPasses.Publishing;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Publishing;

/// <summary>
/// Publishing a template over Azurite, the real HTTP stack and the APNs emulator: the draft, its dry run, the
/// publication, the re-issue that pushes each registered device once, and a device that fetches before its push.
/// Devices speak Apple's PassKit web service ("Get an Updated Pass": Last-Modified / If-Modified-Since, 304).
/// </summary>
public sealed class TemplatePublishingTests
{
    private static ApnsEmulator Apns => SharedApns.Emulator;

    private static int PushesTo(SimulatedDevice device) => Apns.Pushes.Count(p => p.PushToken == device.PushToken);

    private static async Task<List<(InstalledPass Pass, SimulatedDevice Device)>> MembersWithDevicesAsync(WalletPassesFactory factory, int count)
    {
        var members = new List<(InstalledPass, SimulatedDevice)>();
        for (var i = 0; i < count; i++)
        {
            var pass = await InstalledPass.IssueAsync(factory);
            var device = new SimulatedDevice(factory);
            Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);
            members.Add((pass, device));
        }

        return members;
    }

    private static async Task<JsonElement> PublicationAsync(HttpClient backend, string publicationId) =>
        await backend.GetFromJsonAsync<JsonElement>($"/api/programs/default/template/publications/{publicationId}");

    private static async Task RunReissueUntilFinishedAsync(WalletPassesFactory factory, HttpClient backend, string publicationId)
    {
        var job = factory.Services.GetRequiredService<BulkReissueJob>();
        for (var run = 0; run < 20 && (await PublicationAsync(backend, publicationId)).GetProperty("state").GetString() == PublicationStates.Running; run++)
        {
            await job.RunOnceAsync(CancellationToken.None);
        }

        Assert.Equal(PublicationStates.Finished, (await PublicationAsync(backend, publicationId)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Publishing_pushes_every_device_once_and_gives_it_the_new_look_and_a_device_fetching_first_gets_it_too()
    {
        await using var factory = await TemplateZips.StartAppAsync(new Dictionary<string, string?> { ["WalletPasses:Publishing:ChunkSize"] = "2" });
        var backend = factory.CreateBackendClient();
        var members = await MembersWithDevicesAsync(factory, 3);
        var (firstPass, firstDevice) = members[0];
        var copy = await firstDevice.FetchPassAsync(firstPass);
        var copyModified = copy.Content.Headers.LastModified;
        Assert.Equal("rgb(30, 57, 50)", new PkPass(await copy.Content.ReadAsByteArrayAsync()).PassJson.GetProperty("backgroundColor").GetString());

        // The gold tier (every member's) gets a new background colour.
        var draft = await TemplateZips.ChangedAsync(backend, template => template["tiers"]![1]!["backgroundColor"] = "#112233");
        Assert.Equal(HttpStatusCode.NoContent, (await TemplateZips.UploadAsync(backend, draft)).StatusCode);

        var impact = await backend.GetFromJsonAsync<JsonElement>("/api/programs/default/template/draft/impact");
        Assert.Equal(3, impact.GetProperty("passesChanged").GetInt32());
        Assert.False(impact.GetProperty("sampled").GetBoolean());
        Assert.Equal(3, impact.GetProperty("devicesToPush").GetInt32());
        Assert.Equal(0, impact.GetProperty("alertingPushes").GetInt32()); // a colour has no changeMessage
        Assert.Equal("backgroundColor", impact.GetProperty("passFields")[0].GetProperty("field").GetString());
        Assert.Equal(0, members.Sum(m => PushesTo(m.Device))); // a dry run

        var published = await backend.PostAsync(new Uri("/api/programs/default/template/publish", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, published.StatusCode);
        var publication = await published.Content.ReadFromJsonAsync<JsonElement>();
        var publicationId = publication.GetProperty("publicationId").GetString()!;
        Assert.Equal(1, publication.GetProperty("templateVersion").GetInt64());
        Assert.Equal(publication.GetProperty("statusUrl").GetString(), published.Headers.Location?.OriginalString);

        // Publishing the same draft again (a retried request) answers the same publication.
        var again = await backend.PostAsync(new Uri("/api/programs/default/template/publish", UriKind.Relative), null);
        Assert.Equal(publicationId, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("publicationId").GetString());

        // Before its pass is re-issued, a device that asks with its copy's date gets the new look, not a 304.
        var early = await firstDevice.FetchPassAsync(firstPass, ifModifiedSince: copyModified);
        Assert.Equal(HttpStatusCode.OK, early.StatusCode);
        Assert.Equal("rgb(17, 34, 51)", new PkPass(await early.Content.ReadAsByteArrayAsync()).PassJson.GetProperty("backgroundColor").GetString());

        // Two runs at once (two instances' timers) share the work through the lease.
        var job = factory.Services.GetRequiredService<BulkReissueJob>();
        await Task.WhenAll(job.RunOnceAsync(CancellationToken.None), job.RunOnceAsync(CancellationToken.None));
        await RunReissueUntilFinishedAsync(factory, backend, publicationId);

        Assert.All(members, member => Assert.Equal(1, PushesTo(member.Device)));
        var done = await PublicationAsync(backend, publicationId);
        Assert.Equal(3, done.GetProperty("membersTotal").GetInt64());
        Assert.Equal(3, done.GetProperty("membersDone").GetInt64());
        Assert.Equal(3, done.GetProperty("membersReissued").GetInt64());
        Assert.Equal(3, done.GetProperty("devicesPushed").GetInt64());
        Assert.True(done.TryGetProperty("finishedAt", out _));

        // Each device, pushed, finds its pass changed and fetches the new version with the new look.
        var (lastPass, lastDevice) = members[^1];
        var (changed, _) = await lastDevice.ListChangedAsync(lastPass, tag: null);
        Assert.Contains(lastPass.SerialNumber, changed);
        var fetched = await lastDevice.FetchPassAsync(lastPass);
        Assert.Equal("rgb(17, 34, 51)", new PkPass(await fetched.Content.ReadAsByteArrayAsync()).PassJson.GetProperty("backgroundColor").GetString());
        Assert.True(fetched.Content.Headers.LastModified > copyModified || fetched.Content.Headers.LastModified == early.Content.Headers.LastModified);

        // Nothing is left to do: more runs push nobody again.
        await job.RunOnceAsync(CancellationToken.None);
        Assert.All(members, member => Assert.Equal(1, PushesTo(member.Device)));
    }

    /// <summary>
    /// Apple's "Get an Updated Pass": a device sends back the Last-Modified it was given as If-Modified-Since, and HTTP
    /// dates have whole seconds. Two publications, or a publication and a member's change, can fall in one second;
    /// the device's copy dated that second may then be the older look, so it must get the pass, not a 304.
    /// </summary>
    [Fact]
    public async Task A_second_publication_or_a_member_change_in_a_publications_second_is_never_hidden_behind_a_304()
    {
        await using var factory = await TemplateZips.StartAppAsync();
        var backend = factory.CreateBackendClient();
        var (pass, device) = (await MembersWithDevicesAsync(factory, 1))[0];
        var now = factory.Time.GetUtcNow();
        factory.Time.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromTicks(now.UtcTicks % TimeSpan.TicksPerSecond) + TimeSpan.FromMilliseconds(300)); // 0.3 s into a second; the clock stays there
        static string Colour(byte[] pkpass) => new PkPass(pkpass).PassJson.GetProperty("backgroundColor").GetString()!;

        await PublishGoldColourAsync(backend, "#112233");
        var first = await device.FetchPassAsync(pass);
        Assert.Equal("rgb(17, 34, 51)", Colour(await first.Content.ReadAsByteArrayAsync()));
        Assert.True(first.Content.Headers.LastModified <= factory.Time.GetUtcNow(), $"Last-Modified {first.Content.Headers.LastModified:O} is after the clock {factory.Time.GetUtcNow():O}");

        await PublishGoldColourAsync(backend, "#445566"); // the same second
        var second = await device.FetchPassAsync(pass, ifModifiedSince: first.Content.Headers.LastModified);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("rgb(68, 85, 102)", Colour(await second.Content.ReadAsByteArrayAsync()));

        await pass.SetPointsAsync(factory, 4321); // still the publications' second
        var changed = await device.FetchPassAsync(pass, ifModifiedSince: second.Content.Headers.LastModified);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(4321, new PkPass(await changed.Content.ReadAsByteArrayAsync()).Field("primaryFields", "points").GetProperty("value").GetInt64());

        // Once a later second has its own version, the device's copy of it is answered 304 again.
        factory.Time.Advance(TimeSpan.FromSeconds(2));
        await pass.SetPointsAsync(factory, 5000);
        var current = await device.FetchPassAsync(pass);
        Assert.Equal(HttpStatusCode.NotModified, (await device.FetchPassAsync(pass, ifModifiedSince: current.Content.Headers.LastModified)).StatusCode);
    }

    /// <summary>
    /// An instance answers a device from the pass it looked up with the token; when another instance's re-issue
    /// commits a newer version (with the newly published template) in between, that version is the answer, and it
    /// must wear its own template, not the one this instance still had for the older version: the device is told 304
    /// for that version from then on.
    /// </summary>
    [Fact]
    public async Task A_version_committed_by_another_instance_meanwhile_is_built_with_its_own_template()
    {
        await using var answering = await TemplateZips.StartAppAsync();
        await using var publishing = await TemplateZips.StartAppAsync(new Dictionary<string, string?> { ["WalletPasses:Storage:NamePrefix"] = answering.StoragePrefix });
        var pass = (await MembersWithDevicesAsync(answering, 1))[0].Pass;
        await pass.SetPointsAsync(publishing, 1234); // a version the answering instance has not built
        var members = answering.Services.GetRequiredService<WalletPasses.Members.MemberStore>();
        var holder = await members.FindPassHolderAsync(pass.SerialNumber, CancellationToken.None);

        var publishingBackend = publishing.CreateBackendClient();
        var draft = await TemplateZips.ChangedAsync(publishingBackend, template => template["tiers"]![1]!["backgroundColor"] = "#112233");
        Assert.Equal(HttpStatusCode.NoContent, (await TemplateZips.UploadAsync(publishingBackend, draft)).StatusCode);
        var published = await publishingBackend.PostAsync(new Uri("/api/programs/default/template/publish", UriKind.Relative), null);
        var publicationId = (await published.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("publicationId").GetString()!;
        await RunReissueUntilFinishedAsync(publishing, publishingBackend, publicationId);

        var package = await answering.Services.GetRequiredService<WalletPasses.Apple.ApplePasses>().GetAsync(holder!, CancellationToken.None);

        Assert.Equal((await members.GetAsync(pass.MemberId, CancellationToken.None))!.Pass.Version, package!.Version);
        Assert.True(package.Version > holder!.Pass.Version);
        using var bytes = new MemoryStream();
        await package.Content.WriteToAsync(System.IO.Pipelines.PipeWriter.Create(bytes), CancellationToken.None);
        Assert.Equal("rgb(17, 34, 51)", new PkPass(bytes.ToArray()).PassJson.GetProperty("backgroundColor").GetString());
    }

    private static async Task PublishGoldColourAsync(HttpClient backend, string colour)
    {
        var draft = await TemplateZips.ChangedAsync(backend, template => template["tiers"]![1]!["backgroundColor"] = colour);
        Assert.Equal(HttpStatusCode.NoContent, (await TemplateZips.UploadAsync(backend, draft)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await backend.PostAsync(new Uri("/api/programs/default/template/publish", UriKind.Relative), null)).StatusCode);
    }

    [Fact]
    public async Task A_draft_with_errors_is_not_published_and_the_live_template_stays()
    {
        await using var factory = await TemplateZips.StartAppAsync();
        var backend = factory.CreateBackendClient();
        var live = await TemplateZips.DownloadAsync(backend);
        var broken = new Dictionary<string, byte[]>(live);
        broken.Remove("images/strip-gold@2x.png");
        Assert.Equal(HttpStatusCode.NoContent, (await TemplateZips.UploadAsync(backend, TemplateZips.Zip(broken))).StatusCode);

        var publish = await backend.PostAsync(new Uri("/api/programs/default/template/publish", UriKind.Relative), null);
        var impact = await backend.GetAsync(new Uri("/api/programs/default/template/draft/impact", UriKind.Relative));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, publish.StatusCode);
        Assert.Equal("application/problem+json", publish.Content.Headers.ContentType?.MediaType);
        Assert.Contains("strip-gold@2x.png", await publish.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, impact.StatusCode);
        Assert.Equal(live["template.json"], (await TemplateZips.DownloadAsync(backend))["template.json"]);
    }

    [Fact]
    public async Task Bad_zips_unknown_programs_and_a_missing_draft_get_problem_details()
    {
        await using var factory = await TemplateZips.StartAppAsync();
        var backend = factory.CreateBackendClient();
        var live = await TemplateZips.DownloadAsync(backend);

        var noDraft = await backend.PostAsync(new Uri("/api/programs/default/template/publish", UriKind.Relative), null);
        var traversal = await TemplateZips.UploadAsync(backend, TemplateZips.Zip(live.Append(new("../../outside.png", [1]))));
        var notZip = await TemplateZips.UploadAsync(backend, "not a zip"u8.ToArray());
        var otherDownload = await backend.GetAsync(new Uri("/api/programs/other/template", UriKind.Relative)); // a program the deployment does not have
        var otherProgram = await TemplateZips.UploadAsync(backend, TemplateZips.Zip(live), "/api/programs/not.an.id/template"); // a PUT adds a program, but only of a valid id
        // The templates container keeps every program's drafts and publications in these folders (TemplateDrafts,
        // PublishedTemplates): a program named after one would read the program "images"' files as its own images.
        var reservedPrograms = await Task.WhenAll(ProgramRegistry.ReservedIds.Select(id => TemplateZips.UploadAsync(backend, TemplateZips.Zip(live), $"/api/programs/{id}/template")));
        var unknownPublication = await backend.GetAsync(new Uri("/api/programs/default/template/publications/0123abcd", UriKind.Relative));
        var otherProgramsTemplate = await TemplateZips.UploadAsync(backend, TemplateZips.Zip(live), "/api/programs/brand3/template"); // template.json says "default"
        var afterRefusedUpload = await backend.GetAsync(new Uri("/api/programs/brand3/template/draft/impact", UriKind.Relative));
        using var staff = factory.CreateStaffClient();
        var staffUpload = await TemplateZips.UploadAsync(staff, TemplateZips.Zip(live));

        Assert.Equal(HttpStatusCode.NotFound, noDraft.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, traversal.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notZip.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, otherProgram.StatusCode);
        Assert.All(reservedPrograms, reserved => Assert.Equal(HttpStatusCode.BadRequest, reserved.StatusCode));
        Assert.Contains("names a folder of the templates container", await reservedPrograms[0].Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, otherDownload.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownPublication.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, staffUpload.StatusCode); // a staff key is no backend key

        // A template naming another program is refused at upload, and the refused upload adds no program (before, it
        // was stored, its report said publishable, the publication was refused, and brand3 stayed registered for good).
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherProgramsTemplate.StatusCode);
        Assert.Contains("says programId 'default'", await otherProgramsTemplate.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, afterRefusedUpload.StatusCode);
        Assert.Equal("Unknown program", (await afterRefusedUpload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.All([noDraft, traversal, notZip, otherProgram, otherDownload, unknownPublication, otherProgramsTemplate], r => Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType));
        Assert.DoesNotContain("outside", string.Join(',', await BlobNamesAsync(factory)), StringComparison.Ordinal);
    }

    private static async Task<List<string>> BlobNamesAsync(WalletPassesFactory factory)
    {
        var azurite = await AzuriteServer.Shared;
        var names = new List<string>();
        await foreach (var blob in azurite.Blobs.GetBlobContainerClient(factory.StoragePrefix + "templates").GetBlobsAsync())
        {
            names.Add(blob.Name);
        }

        return names;
    }
}
