using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Apple;
using WalletPasses.Publishing;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Publishing;

/// <summary>
/// The bulk re-issue reads a chunk's device registrations in one query (after committing the chunk's versions)
/// instead of one query per member: every device of every member is still pushed exactly once, whatever mix of
/// members with several devices and with none a chunk holds, and no member is pushed another member's devices.
/// </summary>
public sealed class BulkReissueRegistrationsTests
{
    private static ApnsEmulator Apns => SharedApns.Emulator;

    [Fact]
    public async Task A_chunk_of_members_with_several_devices_and_none_pushes_each_device_once()
    {
        await using var app = await TemplateZips.StartAppAsync(new Dictionary<string, string?> { ["WalletPasses:Publishing:ChunkSize"] = "3" });
        var devicesPerMember = new[] { 2, 0, 1, 2, 1, 0, 3 };
        var devices = new List<SimulatedDevice>();
        foreach (var count in devicesPerMember)
        {
            var pass = await InstalledPass.IssueAsync(app);
            for (var i = 0; i < count; i++)
            {
                var device = new SimulatedDevice(app);
                Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);
                devices.Add(device);
            }
        }

        var backend = app.CreateBackendClient();
        var draft = await TemplateZips.ChangedAsync(backend, template => template["tiers"]![1]!["labelColor"] = "#123456");
        Assert.Equal(HttpStatusCode.NoContent, (await TemplateZips.UploadAsync(backend, draft)).StatusCode);
        var publicationId = (await (await backend.PostAsync(new Uri("/api/programs/default/template/publish", UriKind.Relative), null))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("publicationId").GetString()!;

        var job = app.Services.GetRequiredService<BulkReissueJob>();
        var publications = app.Services.GetRequiredService<Publications>();
        while ((await publications.GetAsync("default", publicationId, CancellationToken.None))!.IsRunning)
        {
            await job.RunOnceAsync(CancellationToken.None);
        }

        var done = (await publications.GetAsync("default", publicationId, CancellationToken.None))!;
        Assert.Equal(PublicationStates.Finished, done.State);
        Assert.Equal(devicesPerMember.Length, done.MembersReissued);
        Assert.Equal(devices.Count, done.DevicesPushed);
        Assert.All(devices, d => Assert.Equal(1, Apns.Pushes.Count(p => p.PushToken == d.PushToken)));
    }

    [Fact]
    public async Task Registrations_read_for_a_range_of_members_belong_to_the_members_asked_for_only()
    {
        await using var app = await TemplateZips.StartAppAsync();
        var passes = new List<InstalledPass>();
        var deviceOf = new Dictionary<string, SimulatedDevice>();
        for (var i = 0; i < 3; i++)
        {
            var pass = await InstalledPass.IssueAsync(app);
            passes.Add(pass);
            if (i < 2)
            {
                var device = new SimulatedDevice(app);
                Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);
                deviceOf[pass.MemberId] = device;
            }
        }

        // Asked for the first and last by member id: the one between them (in the queried range) is not in the answer.
        var ordered = passes.Select(p => p.MemberId).Order(StringComparer.Ordinal).ToArray();
        var registrations = app.Services.GetRequiredService<DeviceRegistrations>();
        var read = await registrations.ForMembersAsync([ordered[0], ordered[2]], CancellationToken.None);

        Assert.Equal([ordered[0], ordered[2]], read.Keys.Order(StringComparer.Ordinal));
        foreach (var memberId in new[] { ordered[0], ordered[2] })
        {
            Assert.Equal(deviceOf.TryGetValue(memberId, out var device) ? [device.PushToken] : [], read[memberId].Select(r => r.PushToken));
        }

        // Inside the scope a member's devices come from what was read; after it, from storage again.
        var added = new SimulatedDevice(app);
        Assert.Equal(HttpStatusCode.Created, (await added.RegisterAsync(passes.First(p => p.MemberId == ordered[0]))).StatusCode);
        using (DeviceRegistrations.UsePreloaded(read))
        {
            Assert.Equal(read[ordered[0]].Count, (await registrations.ForMemberAsync(ordered[0], CancellationToken.None)).Count);
        }

        Assert.Contains(added.PushToken, (await registrations.ForMemberAsync(ordered[0], CancellationToken.None)).Select(r => r.PushToken));
    }
}
