using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Events;
using WalletPasses.Google;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Google;

/// <summary>
/// Two instances sync one member's Google object (the Functions host scales out; each instance serializes only its
/// own syncs). Google applies a PATCH when it arrives and takes no precondition
/// (https://developers.google.com/wallet/reference/rest/v1/loyaltyobject/patch), so an older version's PATCH that is
/// slow on the way can land after a newer one, even one its sender gave up waiting for (RFC 9110 section 9.2.2): the
/// object then shows the older balance. One sync writes a member's object at a time (<see cref="GoogleWriteLease"/>).
/// </summary>
public sealed class GoogleSyncOvertakenTests : IAsyncLifetime
{
    private static readonly TimeSpan RetryInterval = new GoogleWalletOptions().SyncRetryInterval;

    // Null until the test starts them, each with its own time-out.
    private GoogleTwoInstances? _instances;

    private GoogleTwoInstances Instances => _instances ?? throw new InvalidOperationException("The test has not started its instances.");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_instances is not null)
        {
            await _instances.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_newer_version_on_another_instance_is_written_only_after_the_older_versions_patch_was_answered()
    {
        var (memberId, objectId) = await StartWithMemberAsync(issueTimeout: TimeSpan.FromMinutes(1));

        // The first instance's PATCH of version 2 is on its way; the second instance applies version 3 meanwhile.
        var (arrived, release) = Instances.Fake.HoldNext("PATCH", objectId);
        var olderSync = Processor(Instances.First).ProcessAsync(GoogleTestEvents.Points(memberId, 1, 2000), default);
        await arrived.WaitAsync(TimeSpan.FromSeconds(30));
        var newerPatchArrived = Instances.Fake.NextApiCallArrives(request => PatchesBalance(request, 3000));
        var newerSync = Processor(Instances.Second).ProcessAsync(GoogleTestEvents.Points(memberId, 2, 3000), default);
        await Eventually.HoldsAsync(async () => await PassVersionAsync(memberId) == 3, "version 3 is committed");
        // The second instance has come as far as writing version 3 to Google: it sent the PATCH (as before the fix), or
        // found the object's lease held by the first and waits (it writes nothing before it takes the lease).
        await Eventually.HoldsAsync(
            () => newerPatchArrived.IsCompleted || SecondFoundLeaseHeld(memberId),
            "the second instance wrote version 3 or waits for the first instance's lease");

        var releasedAt = DateTimeOffset.UtcNow;
        release();
        await olderSync;
        Assert.Equal(EventOutcome.Applied, await newerSync);

        // Before the fix the second instance's PATCH went out while version 2's was still on its way.
        var newer = Assert.Single(Instances.Fake.ApiRequests, request => PatchesBalance(request, 3000));
        Assert.True(newer.ReceivedAt >= releasedAt, "version 3's PATCH waited for version 2's answer");
        Assert.Equal(3000, Balance(objectId));
        Assert.Equal(3, (await SyncStateAsync(memberId)).SyncedVersion);
    }

    /// <param name="held">
    /// How version 2's PATCH goes without an answer: Google is slow to apply it and the first instance stops waiting at
    /// its time-out, leaving the version pending; or the connection drops once the request is sent and the HTTP client's
    /// retry is answered, so the version is recorded as synced. Google carries the first request out all the same, later.
    /// </param>
    [Theory]
    [InlineData(HeldRequest.CarriedOutEvenIfClientLeaves)]
    [InlineData(HeldRequest.ConnectionDropsThenCarriedOut)]
    public async Task A_patch_that_got_no_answer_and_lands_after_a_newer_version_is_followed_by_the_current_version(HeldRequest held)
    {
        var (memberId, objectId) = await StartWithMemberAsync(issueTimeout: TimeSpan.FromSeconds(2));
        var (arrived, release) = Instances.Fake.HoldNext("PATCH", objectId, held);
        Assert.Equal(EventOutcome.Applied, await Processor(Instances.First).ProcessAsync(GoogleTestEvents.Points(memberId, 1, 2000), default));
        await arrived;

        // The second instance applies version 3; the first request for version 2 lands after it.
        Assert.Equal(EventOutcome.Applied, await Processor(Instances.Second).ProcessAsync(GoogleTestEvents.Points(memberId, 2, 3000), default));
        release();
        await Eventually.HoldsAsync(() => Balance(objectId) == 2000, "version 2's first PATCH lands");

        // Before the fix the second instance had written version 3 and recorded it: nothing was pending, and Google kept
        // showing 2000 for good. Now it waited for the first instance's lease, which a write with no answer keeps until it
        // runs out; the retry takes it over and writes the current version again.
        await Eventually.HoldsAsync(
            async () => Balance(objectId) == 3000 && (await SyncStateAsync(memberId)).SyncedVersion == 3,
            "the retry writes version 3 again",
            step: () => Instances.Second.Time.Advance(RetryInterval)); // runs the second instance's retry job
    }

    private async Task<(string MemberId, string ObjectId)> StartWithMemberAsync(TimeSpan issueTimeout)
    {
        _instances = await GoogleTwoInstances.StartAsync(new Dictionary<string, string?> { ["WalletPasses:Google:IssueTimeout"] = issueTimeout.ToString("c") });
        return await _instances.CreateMemberAsync();
    }

    private int Balance(string objectId) => Instances.Balance(objectId);

    private static bool PatchesBalance(RecordedRequest request, int balance) =>
        request.Method == "PATCH" && JsonNode.Parse(request.Body)?["loyaltyPoints"]?["balance"]?["int"]?.GetValue<int>() == balance;

    // A read of the member's lease row that found it (GoogleWriteLease.AcquireAsync reads it only after its insert met
    // the row, and then waits while it is held).
    private bool SecondFoundLeaseHeld(string memberId) => Instances.SecondTables.Requests.Any(request =>
        request.Status == 200 && request.Line.StartsWith("GET ", StringComparison.Ordinal)
        && request.Line.EndsWith($"(PartitionKey='{memberId}',RowKey='{GoogleWriteLeaseEntity.RowKeyValue}')", StringComparison.Ordinal));

    private async Task<long> PassVersionAsync(string memberId) =>
        (await Instances.First.CreateBackendClient().GetFromJsonAsync<JsonElement>($"/api/members/{memberId}/delivery")).GetProperty("version").GetInt64();

    private async Task<GoogleObjectEntity> SyncStateAsync(string memberId) =>
        (await Instances.First.Services.GetRequiredService<GoogleObjectSync>().GetStateAsync(memberId, default))!;

    private static LoyaltyEventProcessor Processor(WalletPassesFactory instance) =>
        instance.Services.GetRequiredService<LoyaltyEventProcessor>();
}
