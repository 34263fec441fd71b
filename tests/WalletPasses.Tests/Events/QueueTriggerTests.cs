using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Queues;
using WalletPasses.Tests.Infrastructure;
using WalletPasses.Tests.Integration;

namespace WalletPasses.Tests.Events;

/// <summary>The app as the Functions host runs it: no poller; the queue trigger arrives as POST /ProcessLoyaltyEvent.</summary>
public sealed class FunctionsHostFixture : AppFixture
{
    protected override IDictionary<string, string?>? SettingOverrides => new Dictionary<string, string?>
    {
        ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "7072",
    };
}

public sealed class QueueTriggerTests(FunctionsHostFixture app) : IClassFixture<FunctionsHostFixture>
{
    private readonly HttpClient _backend = app.Factory.CreateBackendClient();

    /// <summary>The invocation body exactly as the host sends it for a queue trigger: the message JSON-encoded twice.</summary>
    private static string Invocation(JsonElement message, int dequeueCount) => JsonSerializer.Serialize(new
    {
        Data = new Dictionary<string, object> { ["message"] = message },
        Metadata = new Dictionary<string, object>
        {
            ["DequeueCount"] = dequeueCount,
            ["Id"] = Guid.NewGuid().ToString(),
            ["InsertionTime"] = "2026-11-23T10:00:00+00:00",
            ["sys"] = new { MethodName = "ProcessLoyaltyEvent", UtcNow = "2026-11-23T10:00:01Z", RandGuid = Guid.NewGuid().ToString() },
        },
    });

    private static JsonElement DoubleEncoded(string eventJson) => JsonSerializer.SerializeToElement(JsonSerializer.Serialize(eventJson));

    [Fact]
    public async Task A_queue_trigger_invocation_applies_the_event_and_answers_with_outputs_and_logs()
    {
        var memberId = TestMembers.NewId();
        await TestMembers.CreateAsync(_backend, memberId, points: 100);
        var client = app.Factory.CreateClient();

        var response = await client.PostAsync("/ProcessLoyaltyEvent", TestMembers.Json(Invocation(DoubleEncoded(TestMembers.PointsEvent(memberId, 1, 777)), 1)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Object, body.GetProperty("outputs").ValueKind);
        Assert.NotEmpty(body.GetProperty("logs").EnumerateArray());
        Assert.Equal(777, (await TestMembers.GetAsync(_backend, memberId))!.Value.GetProperty("points").GetInt64());
    }

    [Fact]
    public async Task A_message_delivered_as_a_JSON_object_or_single_encoded_string_works_too()
    {
        var memberId = TestMembers.NewId();
        await TestMembers.CreateAsync(_backend, memberId, points: 100);
        var client = app.Factory.CreateClient();

        var asObject = await client.PostAsync("/ProcessLoyaltyEvent", TestMembers.Json(Invocation(JsonDocument.Parse(TestMembers.PointsEvent(memberId, 1, 200)).RootElement, 1)));
        var asString = await client.PostAsync("/ProcessLoyaltyEvent", TestMembers.Json(Invocation(JsonSerializer.SerializeToElement(TestMembers.PointsEvent(memberId, 2, 300)), 2)));

        Assert.Equal(HttpStatusCode.OK, asObject.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asString.StatusCode);
        Assert.Equal(300, (await TestMembers.GetAsync(_backend, memberId))!.Value.GetProperty("points").GetInt64());
    }

    [Fact]
    public async Task A_malformed_message_is_moved_to_the_poison_queue_instead_of_being_retried()
    {
        var client = app.Factory.CreateClient();
        var marker = Guid.NewGuid().ToString("N");

        var response = await client.PostAsync("/ProcessLoyaltyEvent", TestMembers.Json(Invocation(DoubleEncoded($$"""{"eventId": "{{marker}}", "nonsense": true}"""), 1)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var poison = new QueueClient(app.Azurite.ConnectionString, app.Factory.StoragePrefix + "loyalty-events-poison", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        Assert.Contains((await poison.PeekMessagesAsync(32)).Value, m => m.MessageText.Contains(marker, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_invocation_without_the_message_binding_is_a_400()
    {
        var response = await app.Factory.CreateClient().PostAsync("/ProcessLoyaltyEvent", TestMembers.Json("""{"Data": {}, "Metadata": {}}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public void Function_json_declares_the_queue_trigger_the_handler_serves()
    {
        using var function = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Combine("function-host", "ProcessLoyaltyEvent", "function.json")));
        var binding = Assert.Single(function.RootElement.GetProperty("bindings").EnumerateArray().ToArray());

        Assert.Equal("queueTrigger", binding.GetProperty("type").GetString());
        Assert.Equal("message", binding.GetProperty("name").GetString());
        Assert.Equal("loyalty-events", binding.GetProperty("queueName").GetString());
        Assert.Equal("AzureWebJobsStorage", binding.GetProperty("connection").GetString());
        using var host = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Combine("function-host", "host.json")));
        Assert.Equal(5, host.RootElement.GetProperty("extensions").GetProperty("queues").GetProperty("maxDequeueCount").GetInt32());
    }

    [Fact]
    public async Task Without_the_Functions_host_the_invocation_route_does_not_exist()
    {
        var standalone = await AzuriteServer.Shared;
        await using var factory = new WalletPassesFactory(standalone.ConnectionString, new Dictionary<string, string?> { ["WalletPasses:Events:PollQueue"] = "false" });

        var response = await factory.CreateClient().PostAsync("/ProcessLoyaltyEvent", TestMembers.Json(Invocation(DoubleEncoded("{}"), 1)));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
