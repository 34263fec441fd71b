using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Apple;
using WalletPasses.Members;
using WalletPasses.Publishing;
using WalletPasses.Storage;
using WalletPasses.Templates;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Publishing;

/// <summary>
/// The bulk re-issue survives its process: one instance re-issues part of the members and dies holding the
/// publication (having re-issued members past its last checkpoint); a new instance over the same storage waits
/// out the lease, redoes the chunk the dead one had in hand, and finishes. Every registered device is pushed
/// exactly once for the template version (APNs emulator).
/// </summary>
public sealed class BulkReissueResumeTests
{
    private const int MemberCount = 10;

    private static ApnsEmulator Apns => SharedApns.Emulator;

    [Fact]
    public async Task A_reissue_dropped_mid_way_resumes_on_a_new_instance_and_pushes_every_device_exactly_once()
    {
        var settings = new Dictionary<string, string?>
        {
            ["WalletPasses:Publishing:ChunkSize"] = "3",
            ["WalletPasses:Publishing:RunBudget"] = "00:00:00.001", // a run does one chunk, then returns
        };
        var first = await TemplateZips.StartAppAsync(settings);
        settings["WalletPasses:Storage:NamePrefix"] = first.StoragePrefix;
        var backend = first.CreateBackendClient();
        var devices = new List<(InstalledPass Pass, SimulatedDevice Device)>();
        for (var i = 0; i < MemberCount; i++)
        {
            var pass = await InstalledPass.IssueAsync(first);
            var device = new SimulatedDevice(first);
            Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);
            devices.Add((pass, device));
        }

        var draft = await TemplateZips.ChangedAsync(backend, template => template["tiers"]![1]!["labelColor"] = "#ABCDEF");
        Assert.Equal(HttpStatusCode.NoContent, (await TemplateZips.UploadAsync(backend, draft)).StatusCode);
        var publicationId = (await (await backend.PostAsync(new Uri("/api/programs/default/template/publish", UriKind.Relative), null))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("publicationId").GetString()!;

        // The first instance: one run (one chunk of 3, checkpointed), then, as a second run would, it claims the
        // publication and re-issues the next two members, and dies before its checkpoint.
        await first.Services.GetRequiredService<BulkReissueJob>().RunOnceAsync(CancellationToken.None);
        var publications = first.Services.GetRequiredService<Publications>();
        var row = (await publications.GetAsync("default", publicationId, CancellationToken.None))!;
        Assert.Equal(3, row.MembersDone);
        row.LeaseUntil = first.Time.GetUtcNow() + new PublishingOptions().Lease;
        Assert.True(await publications.TryReplaceAsync(row, CancellationToken.None));
        var members = first.Services.GetRequiredService<StorageClients>().Members;
        var unvisited = await members.QueryAsync<MemberEntity>(TableClient.CreateQueryFilter($"PartitionKey gt {row.Cursor} and RowKey eq {MemberEntity.RowKeyValue}")).Take(2).ToListAsync();
        var templates = first.Services.GetRequiredService<PublishedTemplates>();
        var after = (await templates.LoadAsync("default", (await templates.CurrentAsync("default", CancellationToken.None))!.Value.Pointer, CancellationToken.None))!;
        var before = (await templates.LoadAsync("default", null, CancellationToken.None))!;
        var comparison = new TemplateComparison(before, after, first.Services.GetRequiredService<ApplePasses>(), google: null);
        foreach (var member in unvisited)
        {
            Assert.True((await first.Services.GetRequiredService<MemberReissue>().ReissueAsync(member, comparison, CancellationToken.None)).Reissued);
        }

        var pushedBeforeTheCrash = devices.Count(d => PushesTo(d.Device) == 1);
        await first.DisposeAsync();
        Assert.Equal(5, pushedBeforeTheCrash);

        // A new instance over the same storage: the dead one's lease holds it off until it runs out.
        await using var second = new WalletPassesFactory((await AzuriteServer.Shared).ConnectionString, settings);
        var job = second.Services.GetRequiredService<BulkReissueJob>();
        await job.RunOnceAsync(CancellationToken.None);
        Assert.Equal(5, devices.Count(d => PushesTo(d.Device) == 1));

        second.Time.Advance(new PublishingOptions().Lease + TimeSpan.FromSeconds(1));
        var secondPublications = second.Services.GetRequiredService<Publications>();
        // The clock moved, so the standalone job runner starts a run of its own too: while it holds the lease ours return at once.
        await Eventually.HoldsAsync(
            async () =>
            {
                await job.RunOnceAsync(CancellationToken.None);
                return !(await secondPublications.GetAsync("default", publicationId, CancellationToken.None))!.IsRunning;
            },
            "the second instance finishes the re-issue",
            within: TimeSpan.FromMinutes(2));

        var done = (await secondPublications.GetAsync("default", publicationId, CancellationToken.None))!;
        Assert.Equal(PublicationStates.Finished, done.State);
        Assert.All(devices, d => Assert.Equal(1, PushesTo(d.Device)));
        Assert.Equal(MemberCount, done.MembersDone);
        Assert.Equal(MemberCount, done.DevicesPushed);
        Assert.Equal(MemberCount - 2, done.MembersReissued); // two were re-issued by the instance that died
        var passes = second.Services.GetRequiredService<StorageClients>().Members;
        await foreach (var member in passes.QueryAsync<MemberEntity>(TableClient.CreateQueryFilter($"RowKey eq {MemberEntity.RowKeyValue}")))
        {
            Assert.Equal(1, member.TemplateVersion);
            Assert.Equal(2, member.PassVersion); // created, then re-issued once
        }
    }

    private static int PushesTo(SimulatedDevice device) => Apns.Pushes.Count(p => p.PushToken == device.PushToken);
}
