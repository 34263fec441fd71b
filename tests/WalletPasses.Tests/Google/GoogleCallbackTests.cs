using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using WalletPasses.Google;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Google;

/// <summary>Google's save/delete callbacks through the real route: verified with root keys fetched from the (fake) keys URL.</summary>
public sealed class GoogleCallbackTests(GoogleAppFixture app) : IClassFixture<GoogleAppFixture>
{
    private readonly HttpClient _google = app.CreateCustomerClient();

    private async Task<(string MemberId, string SerialNumber, string ObjectId)> CreateMemberAsync()
    {
        var memberId = TestMembers.NewId();
        var document = await app.CreateMemberAsync(memberId);
        return (memberId, document.GetProperty("apple").GetProperty("serialNumber").GetString()!, document.GetProperty("google").GetProperty("objectId").GetString()!);
    }

    private string Callback(string objectId, string eventType, string? nonce = null, string issuerId = GoogleWalletTestData.IssuerId)
    {
        var now = app.Factory.Time.GetUtcNow();
        var message = GoogleCallbackSigner.Message(GoogleAppFixture.ClassId, objectId, eventType, now.AddMinutes(5), nonce ?? Guid.NewGuid().ToString());
        return app.Callbacks.Callback(message, issuerId, now.AddDays(7));
    }

    private Task<HttpResponseMessage> PostAsync(string body) =>
        _google.PostAsync("/api/google/callbacks", new StringContent(body, Encoding.UTF8, "application/json"));

    private async Task<List<JsonElement>> ActivityOfAsync(string memberId)
    {
        var queue = new QueueClient(app.Azurite.ConnectionString, app.Factory.StoragePrefix + "pass-activity", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var messages = (await queue.PeekMessagesAsync(32)).Value;
        return [.. messages.Select(message => JsonDocument.Parse(message.Body.ToString()).RootElement).Where(activity => activity.GetProperty("memberId").GetString() == memberId)];
    }

    private async Task<GoogleInstallEntity?> InstallOfAsync(string memberId)
    {
        var row = await app.Table("members").GetEntityIfExistsAsync<GoogleInstallEntity>(memberId, GoogleInstallEntity.RowKeyValue);
        return row.HasValue ? row.Value : null;
    }

    [Fact]
    public async Task A_verified_save_then_delete_is_recorded_on_the_member_and_published_to_pass_activity()
    {
        var (memberId, serialNumber, objectId) = await CreateMemberAsync();

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Callback(objectId, "save"))).StatusCode);

        var installed = Assert.Single(await ActivityOfAsync(memberId));
        Assert.Equal("pass.installed", installed.GetProperty("type").GetString());
        Assert.Equal("google", installed.GetProperty("platform").GetString());
        Assert.Equal(serialNumber, installed.GetProperty("serialNumber").GetString());
        Assert.Equal(objectId, installed.GetProperty("objectId").GetString());
        Assert.True((await InstallOfAsync(memberId))!.Installed);

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Callback(objectId, "del"))).StatusCode);

        Assert.Equal(["pass.installed", "pass.removed"], (await ActivityOfAsync(memberId)).Select(activity => activity.GetProperty("type").GetString()));
        var install = (await InstallOfAsync(memberId))!;
        Assert.False(install.Installed);
        Assert.NotNull(install.InstalledAt);
        Assert.NotNull(install.RemovedAt);
    }

    [Fact]
    public async Task A_replayed_nonce_is_acknowledged_and_ignored()
    {
        var (memberId, _, objectId) = await CreateMemberAsync();
        var nonce = Guid.NewGuid().ToString();
        var callback = Callback(objectId, "save", nonce);

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(callback)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(callback)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Callback(objectId, "del", nonce))).StatusCode); // signed anew, same nonce

        Assert.Single(await ActivityOfAsync(memberId));
        Assert.True((await InstallOfAsync(memberId))!.Installed);
    }

    [Theory]
    [InlineData("tampered message")]
    [InlineData("another issuer")]
    [InlineData("another root key")]
    public async Task A_callback_that_does_not_verify_is_401_and_nothing_is_recorded(string what)
    {
        var (memberId, _, objectId) = await CreateMemberAsync();
        using var otherSigner = new GoogleCallbackSigner();
        var genuineDelete = Callback(objectId, "del");
        var body = what switch
        {
            // signedMessage is a JSON string inside the JSON body: its quotes are escaped.
            "tampered message" => genuineDelete.Replace("\\u0022del\\u0022", "\\u0022save\\u0022", StringComparison.Ordinal),
            "another issuer" => Callback(objectId, "save", issuerId: "3388000000099999999"),
            _ => otherSigner.Callback(
                GoogleCallbackSigner.Message(GoogleAppFixture.ClassId, objectId, "save", app.Factory.Time.GetUtcNow().AddMinutes(5), "n-1"),
                GoogleWalletTestData.IssuerId,
                app.Factory.Time.GetUtcNow().AddDays(7)),
        };
        Assert.NotEqual(genuineDelete, body);

        var response = await PostAsync(body);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await ActivityOfAsync(memberId));
        Assert.Null(await InstallOfAsync(memberId));
    }

    [Fact]
    public async Task While_Googles_root_keys_cannot_be_fetched_a_callback_is_503_with_Retry_After_so_Google_sends_it_again()
    {
        var settings = GoogleAppFixture.GoogleSettings(app.Fake, app.KeyFile);
        settings["WalletPasses:Google:CallbackKeysUrl"] = "http://127.0.0.1:9/gp/m/issuer/keys"; // the discard port: nothing answers
        await using var factory = new WalletPassesFactory(app.Azurite.ConnectionString, settings);
        var (_, _, objectId) = await CreateMemberAsync();

        var response = await factory.CreateClient().PostAsync("/api/google/callbacks", new StringContent(Callback(objectId, "save"), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter); // RFC 9110 15.6.4: a 503 says when to try again, as every 503 of the service does
    }

    [Fact]
    public async Task Bad_bodies_get_4xx_problem_details()
    {
        var tooLarge = await PostAsync("{\"signature\": \"" + new string('a', GoogleWalletApi.MaxCallbackBodyBytes) + "\"}");
        var empty = await PostAsync("");
        var notJson = await PostAsync("not json");
        var notACallback = await PostAsync("""{"hello": "world"}""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, notJson.StatusCode); // nothing verifies it
        Assert.Equal(HttpStatusCode.Unauthorized, notACallback.StatusCode);
        Assert.All([tooLarge, empty, notJson, notACallback], response => Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType));
    }
}
