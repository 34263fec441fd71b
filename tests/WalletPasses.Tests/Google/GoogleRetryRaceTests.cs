using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Delivery;
using WalletPasses.Events;
using WalletPasses.Google;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Google;

/// <summary>
/// A Google update still pending must be retried until Google has it, even when the retry job's attempt loses the
/// save of the announcement to another writer of the same version: the re-push job records its Apple pushes in that
/// row too (<see cref="RepushJob"/>), so two writers of one version are normal, not only a newer version replacing it.
/// </summary>
public sealed class GoogleRetryRaceTests(GoogleAppFixture app) : IClassFixture<GoogleAppFixture>
{
    private static readonly TimeSpan RetryInterval = new GoogleWalletOptions().SyncRetryInterval;

    private int Balance(string objectId) => app.StoredObject(objectId)!["loyaltyPoints"]!["balance"]!["int"]!.GetValue<int>();

    [Fact]
    public async Task A_Google_retry_whose_save_loses_to_the_repush_of_the_same_version_is_retried_until_Google_has_the_update()
    {
        var memberId = TestMembers.NewId();
        var objectId = (await app.CreateMemberAsync(memberId)).GetProperty("google").GetProperty("objectId").GetString()!;
        app.Fake.Availability = GoogleWalletAvailability.Unavailable;
        Assert.Equal(EventOutcome.Applied, await app.Processor.ProcessAsync(GoogleTestEvents.Points(memberId, 1, 1300), default));
        Assert.NotNull(await app.GooglePendingAsync(memberId)); // the first attempt failed: Google pending, the member due

        // Due now, without moving the app's clock (that would run its own retry job, not the one this test drives).
        var announcements = app.Factory.Services.GetRequiredService<Announcements>();
        await announcements.MarkDueAsync(memberId, app.Factory.Time.GetUtcNow(), "Google Wallet: unavailable", default);
        app.Fake.Availability = GoogleWalletAvailability.Hanging;
        var callsBefore = app.Fake.ApiRequests.Count;
        var retry = app.Factory.Services.GetRequiredService<StaleAnnouncementsJob>().RunOnceAsync(default);
        await Eventually.HoldsAsync(() => app.Fake.ApiRequests.Count > callsBefore, "the retry's Google sync is in flight (the announcement read)");

        // Meanwhile the re-push job saves the same version (as RepushJob.CheckAsync does after pushing devices again).
        var sameVersion = (await announcements.GetAsync(memberId, default))!;
        Assert.True(await announcements.SaveAsync(sameVersion, [], default));
        app.Fake.Availability = GoogleWalletAvailability.Unavailable; // the retry's sync fails; its save then finds the row changed
        await retry;

        // Before the fix the job took the lost save for a newer version and dropped the member from its index:
        // Google never got 1300, however long the clock ran.
        app.Fake.Availability = GoogleWalletAvailability.Up;
        await Eventually.HoldsAsync(() => Balance(objectId) == 1300, "the update reaches Google", step: () => app.Factory.Time.Advance(RetryInterval));
        await Eventually.HoldsAsync(async () => await app.GooglePendingAsync(memberId) is null, "the member is no longer pending");
        Assert.Empty(app.Fake.SchemaErrors);
    }
}
