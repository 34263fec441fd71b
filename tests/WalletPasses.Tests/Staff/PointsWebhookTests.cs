using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Security;
using WalletPasses.Staff;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Staff;

public sealed class PointsWebhookTests(WebhookFixture app) : IClassFixture<WebhookFixture>
{
    [Fact]
    public async Task A_points_redemption_is_posted_to_the_webhook_signed_and_retried_until_accepted()
    {
        var backend = app.Factory.CreateBackendClient();
        var (memberId, barcode) = await StaffTesting.EnrolAsync(app.Factory, backend, points: 900);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/redemptions") { Content = JsonContent.Create(new { barcode, points = 250 }) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        var response = await app.Factory.CreateStaffClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var redemptionId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("redemptionId").GetString();
        // The first attempt goes out at once; the retries come from the webhook job, on the app's clock.
        await Eventually.HoldsAsync(() => app.Receiver.Requests.Count >= 3, "the webhook is retried until accepted", () => app.Factory.Time.Advance(TimeSpan.FromSeconds(2)));
        var attempts = app.Receiver.Requests;
        Assert.All(attempts, attempt =>
        {
            Assert.Equal(redemptionId, attempt.IdempotencyKey);
            Assert.StartsWith("application/json", attempt.ContentType, StringComparison.Ordinal);
            Assert.True(RequestSignatures.Verify(attempt.Signature, Encoding.UTF8.GetBytes(attempt.Body), WebhookFixture.Secret, TimeSpan.FromMinutes(5), app.Factory.Time.GetUtcNow()));
            Assert.False(RequestSignatures.Verify(attempt.Signature, Encoding.UTF8.GetBytes(attempt.Body), "another-secret-0123456789-0123456789", TimeSpan.FromMinutes(5), app.Factory.Time.GetUtcNow()));
        });
        var body = JsonDocument.Parse(attempts[^1].Body).RootElement;
        Assert.Equal("points.redemption.requested", body.GetProperty("type").GetString());
        Assert.Equal(memberId, body.GetProperty("memberId").GetString());
        Assert.Equal(250, body.GetProperty("points").GetInt64());
        var queued = await StaffTesting.ActivitiesAsync(StaffTesting.ActivityQueue(app), m => m.GetProperty("id").GetString() == redemptionId);
        Assert.Equal(queued[0].GetRawText(), body.GetRawText());

        // Accepted: nothing left to deliver, so later runs of the job send nothing more.
        await Eventually.HoldsAsync(async () => await PendingCountAsync() == 0, "the delivered request leaves the webhook table");
        var delivered = app.Receiver.Requests.Count;
        app.Factory.Time.Advance(TimeSpan.FromMinutes(5));
        await app.Factory.Services.GetRequiredService<PointsWebhookJob>().RunOnceAsync(default);
        Assert.Equal(delivered, app.Receiver.Requests.Count);
    }

    private async Task<int> PendingCountAsync()
    {
        var count = 0;
        await foreach (var _ in new TableClient(app.Azurite.ConnectionString, app.Factory.StoragePrefix + "pointswebhook").QueryAsync<TableEntity>())
        {
            count++;
        }

        return count;
    }
}
