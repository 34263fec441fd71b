using System.Net;
using WalletPasses.Delivery;
using WalletPasses.Events;
using WalletPasses.Google;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Google;

/// <summary>Google down: other platforms and the event pipeline carry on, and no Google update is lost.</summary>
public sealed class GoogleOutageTests(GoogleAppFixture app) : IClassFixture<GoogleAppFixture>
{
    private static readonly TimeSpan RetryInterval = new GoogleWalletOptions().SyncRetryInterval;

    // Steps the app's clock while waiting; the HTTP retry back-off itself (10 ms here) runs on the wall clock.too.
    private void PassRetryBackOff() => app.Factory.Time.Advance(TimeSpan.FromMilliseconds(100));

    [Fact]
    public async Task An_outage_holds_up_neither_events_nor_other_platforms_and_the_update_arrives_once_Google_is_back()
    {
        var memberId = TestMembers.NewId();
        var document = await app.CreateMemberAsync(memberId);
        var objectId = document.GetProperty("google").GetProperty("objectId").GetString()!;

        // Google takes calls and never answers: if the pipeline waited for Google, this would never return.
        app.Fake.Availability = GoogleWalletAvailability.Hanging;
        var outcome = await app.Processor.ProcessAsync(GoogleTestEvents.Points(memberId, 1, 1300), default).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(EventOutcome.Applied, outcome);
        Assert.Contains(app.OtherPlatform.Changes, member => member.MemberId == memberId && member.Profile.Points == 1300);
        var applePass = new PkPass(await app.CreateCustomerClient().GetByteArrayAsync(document.GetProperty("apple").GetProperty("passUrl").GetString()));
        Assert.Equal(1300, applePass.Field("primaryFields", "points").GetProperty("value").GetInt64());
        Assert.NotNull(await app.GooglePendingAsync(memberId)); // still pending: Google did not answer

        // Then Google fails outright: the prompt attempt gives up and leaves the member pending.
        app.Fake.Availability = GoogleWalletAvailability.Unavailable;
        await Eventually.HoldsAsync(async () => (await app.GooglePendingAsync(memberId))?.FailedAttempts >= 1, "the failed attempt is recorded", PassRetryBackOff);
        Assert.Equal(1000, app.StoredObject(objectId)!["loyaltyPoints"]!["balance"]!["int"]!.GetValue<int>());

        // Back up: the background retry (driven by the app's clock) delivers the update, with its notification.
        app.Fake.Availability = GoogleWalletAvailability.Up;
        await Eventually.HoldsAsync(
            () => app.StoredObject(objectId)!["loyaltyPoints"]!["balance"]!["int"]!.GetValue<int>() == 1300,
            "the update reaches Google after the outage",
            step: () => app.Factory.Time.Advance(RetryInterval));

        Assert.Equal("NOTIFY_ON_UPDATE", app.BodiesOf(objectId, "PATCH")[^1]["notifyPreference"]!.GetValue<string>());
        await Eventually.HoldsAsync(async () => await app.GooglePendingAsync(memberId) is null, "the member is no longer pending");
        Assert.Empty(app.Fake.SchemaErrors);
    }

    [Fact]
    public async Task A_member_created_while_Google_is_down_gets_a_save_link_that_works_once_Google_is_back()
    {
        var customer = app.CreateCustomerClient();
        app.Fake.Availability = GoogleWalletAvailability.Unavailable;
        var google = (await Eventually.CompletesAsync(app.CreateMemberAsync(TestMembers.NewId()), "the member is created", PassRetryBackOff)).GetProperty("google");
        var saveUrl = google.GetProperty("saveUrl").GetString();
        var objectId = google.GetProperty("objectId").GetString()!;
        var whileDown = await Eventually.CompletesAsync(customer.GetAsync(saveUrl), "the save link answers", PassRetryBackOff);
        var insertedWhileDown = app.StoredObject(objectId) is not null;
        app.Fake.Availability = GoogleWalletAvailability.Up;

        var afterwards = await customer.GetAsync(saveUrl);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, whileDown.StatusCode);
        Assert.NotNull(whileDown.Headers.RetryAfter);
        Assert.False(insertedWhileDown);
        Assert.Equal(HttpStatusCode.Found, afterwards.StatusCode);
        Assert.NotNull(app.StoredObject(objectId));
        Assert.Empty(app.Fake.SchemaErrors);
    }

    [Fact]
    public async Task A_member_erased_and_back_while_Google_is_down_gets_the_old_object_voided_and_a_new_one()
    {
        var memberId = TestMembers.NewId();
        var oldObjectId = (await app.CreateMemberAsync(memberId)).GetProperty("google").GetProperty("objectId").GetString()!;
        app.Fake.Availability = GoogleWalletAvailability.Unavailable;
        var deleted = await app.Factory.CreateBackendClient().DeleteAsync($"/api/members/{memberId}");
        var back = await Eventually.CompletesAsync(app.CreateMemberAsync(memberId), "the member is created again", PassRetryBackOff);
        var newObjectId = back.GetProperty("google").GetProperty("objectId").GetString()!;
        var oldStateWhileDown = app.StoredObject(oldObjectId)!["state"]!.GetValue<string>();
        app.Fake.Availability = GoogleWalletAvailability.Up;

        await Eventually.HoldsAsync(
            () => app.StoredObject(newObjectId) is not null && app.StoredObject(oldObjectId)!["state"]!.GetValue<string>() == "INACTIVE",
            "the old object is voided and the new one inserted",
            step: () => app.Factory.Time.Advance(RetryInterval));

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.NotEqual(oldObjectId, newObjectId);
        Assert.Equal("ACTIVE", oldStateWhileDown);
        Assert.False(app.StoredObject(oldObjectId)!.ContainsKey("accountName"));
        Assert.Equal("ACTIVE", app.StoredObject(newObjectId)!["state"]!.GetValue<string>());
        Assert.Empty(app.Fake.SchemaErrors);
    }

    // The insert reached Google but its answer was lost (and the automatic retry failed): the app has no record of the
    // object. Erasing the member must still void it, or it stays ACTIVE with name, account id and barcode.
    [Fact]
    public async Task Erasing_a_member_whose_insert_answer_was_lost_voids_the_object_at_Google()
    {
        var memberId = TestMembers.NewId();
        app.Fake.FailNext(1, GoogleWalletFault.AnswerLost, "/loyaltyObject");
        app.Fake.FailNext(1, GoogleWalletFault.InternalServerError, "/loyaltyObject");
        var objectId = (await Eventually.CompletesAsync(app.CreateMemberAsync(memberId), "the member is created", PassRetryBackOff))
            .GetProperty("google").GetProperty("objectId").GetString()!;
        var stateRowAfterCreation = await app.Table("members").GetEntityIfExistsAsync<GoogleObjectEntity>(memberId, GoogleObjectEntity.RowKeyValue);
        var atGoogleAfterCreation = app.StoredObject(objectId)?["state"]?.GetValue<string>();

        var deleted = await app.Factory.CreateBackendClient().DeleteAsync($"/api/members/{memberId}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.False(stateRowAfterCreation.HasValue);
        Assert.Equal("ACTIVE", atGoogleAfterCreation);
        await Eventually.HoldsAsync(() => app.StoredObject(objectId)?["state"]?.GetValue<string>() == "INACTIVE", "the object is voided", PassRetryBackOff);
        Assert.False(app.StoredObject(objectId)!.ContainsKey("accountName"));
        Assert.False(app.StoredObject(objectId)!.ContainsKey("barcode"));
        Assert.Empty(app.Fake.SchemaErrors);
    }
}
