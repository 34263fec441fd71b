using System.Net;
using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Apple;

/// <summary>The loyalty backend hears, on the pass-activity queue, when a pass is added to or removed from a wallet.</summary>
public sealed class PassActivityTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_new_registration_publishes_one_pass_installed_and_unregistering_one_pass_removed()
    {
        var pass = await InstalledPass.IssueAsync(app.Factory);
        var device = new SimulatedDevice(app.Factory);

        Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);
        var installed = Assert.Single(await TakeEventsAsync(pass.SerialNumber));
        Assert.Equal("pass.installed", installed.GetProperty("type").GetString());
        Assert.Equal("apple", installed.GetProperty("platform").GetString());
        Assert.Equal(pass.MemberId, installed.GetProperty("memberId").GetString());
        Assert.Equal(device.Id, installed.GetProperty("deviceLibraryIdentifier").GetString());
        Assert.Equal(app.Factory.Time.GetUtcNow(), installed.GetProperty("occurredAt").GetDateTimeOffset());
        Assert.False(string.IsNullOrEmpty(installed.GetProperty("id").GetString()));
        var text = installed.GetRawText();
        Assert.DoesNotContain(device.PushToken, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(pass.AuthenticationToken, text, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await device.RegisterAsync(pass)).StatusCode);
        Assert.Empty(await TakeEventsAsync(pass.SerialNumber));

        Assert.Equal(HttpStatusCode.OK, (await device.UnregisterAsync(pass)).StatusCode);
        var removed = Assert.Single(await TakeEventsAsync(pass.SerialNumber));
        Assert.Equal("pass.removed", removed.GetProperty("type").GetString());
        Assert.Equal(device.Id, removed.GetProperty("deviceLibraryIdentifier").GetString());
        Assert.NotEqual(installed.GetProperty("id").GetString(), removed.GetProperty("id").GetString());

        Assert.Equal(HttpStatusCode.OK, (await device.UnregisterAsync(pass)).StatusCode);
        Assert.Empty(await TakeEventsAsync(pass.SerialNumber));
    }

    [Fact]
    public async Task A_rejected_registration_publishes_nothing()
    {
        var pass = await InstalledPass.IssueAsync(app.Factory);
        var device = new SimulatedDevice(app.Factory);
        device.PushToken = "not-a-push-token";

        Assert.Equal(HttpStatusCode.BadRequest, (await device.RegisterAsync(pass)).StatusCode);
        Assert.Empty(await TakeEventsAsync(pass.SerialNumber));
    }

    /// <summary>
    /// Consumes the events about one serial number as the backend would (received and deleted). Tests share the
    /// queue, so every other message received on the way is made visible again at once.
    /// </summary>
    private async Task<List<JsonElement>> TakeEventsAsync(string serialNumber)
    {
        var queue = new QueueClient(app.Azurite.ConnectionString, app.Factory.StoragePrefix + "pass-activity", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var taken = new List<JsonElement>();
        var others = new List<QueueMessage>();
        QueueMessage[] batch;
        while ((batch = (await queue.ReceiveMessagesAsync(maxMessages: 32, visibilityTimeout: TimeSpan.FromMinutes(1))).Value).Length > 0)
        {
            foreach (var message in batch)
            {
                var activity = JsonDocument.Parse(message.Body).RootElement.Clone();
                if (activity.GetProperty("serialNumber").GetString() == serialNumber)
                {
                    taken.Add(activity);
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                }
                else
                {
                    others.Add(message);
                }
            }
        }

        foreach (var message in others)
        {
            await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero);
        }

        return taken;
    }
}
