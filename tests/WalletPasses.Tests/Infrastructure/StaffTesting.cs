using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Queues;

namespace WalletPasses.Tests.Infrastructure;

/// <summary>What a store does in tests: enrol a customer the way the backend would, read their pass barcode, scan it.</summary>
public static class StaffTesting
{
    /// <summary>Creates a member and returns the barcode text of their downloaded pass (what a camera would read).</summary>
    public static async Task<(string MemberId, string Barcode)> EnrolAsync(WalletPassesFactory factory, HttpClient backend, long points = 1300, string tier = "gold")
    {
        var memberId = TestMembers.NewId();
        var created = await TestMembers.CreateAsync(backend, memberId, points, tier);
        return (memberId, await BarcodeOfAsync(factory, created));
    }

    public static async Task<string> BarcodeOfAsync(WalletPassesFactory factory, JsonElement memberDocument)
    {
        var passUrl = new Uri(memberDocument.GetProperty("apple").GetProperty("passUrl").GetString()!);
        using var anonymous = factory.CreateClient();
        var pass = new PkPass(await anonymous.GetByteArrayAsync(new Uri(passUrl.PathAndQuery, UriKind.Relative)));
        return pass.PassJson.GetProperty("barcodes")[0].GetProperty("message").GetString()!;
    }

    public static Task<HttpResponseMessage> ValidateAsync(HttpClient staff, string barcode, string? location = "popup-berlin") =>
        staff.PostAsync("/api/validations", JsonContent.Create(new { barcode, location }));

    public static async Task<JsonElement> ValidateOkAsync(HttpClient staff, string barcode, string? location = "popup-berlin")
    {
        var response = await ValidateAsync(staff, barcode, location);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The app's own <c>pass-activity</c> queue (its storage prefix).</summary>
    public static QueueClient ActivityQueue(AppFixture app) =>
        new(app.Azurite.ConnectionString, app.Factory.StoragePrefix + "pass-activity", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    /// <summary>
    /// Waits (bounded) for pass-activity messages matching a condition, receiving and hiding the others, so
    /// each test finds its own messages in a queue its class shares.
    /// </summary>
    public static async Task<List<JsonElement>> ActivitiesAsync(QueueClient queue, Func<JsonElement, bool> matches, int expected = 1)
    {
        var found = new List<JsonElement>();
        await Eventually.HoldsAsync(
            async () =>
            {
                var messages = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(10))).Value;
                found.AddRange(messages.Select(m => JsonDocument.Parse(m.MessageText).RootElement.Clone()).Where(matches));
                return found.Count >= expected;
            },
            $"{expected} matching pass-activity messages arrive",
            interval: TimeSpan.FromMilliseconds(50));
        return found;
    }
}
