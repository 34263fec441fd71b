using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Google;

/// <summary>Google Wallet is optional: off without an issuer id, and checked at start-up when on.</summary>
public sealed class GoogleConfigurationTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Without_an_issuer_id_the_app_runs_Apple_only_and_says_so_in_health()
    {
        var backend = app.Factory.CreateBackendClient();

        var health = await backend.GetFromJsonAsync<JsonElement>("/api/health");
        var document = await TestMembers.CreateAsync(backend, TestMembers.NewId());
        var callback = await backend.PostAsync("/api/google/callbacks", TestMembers.Json("{}"));

        Assert.False(health.GetProperty("google").GetProperty("enabled").GetBoolean());
        Assert.False(document.TryGetProperty("google", out _));
        Assert.Equal(HttpStatusCode.NotFound, callback.StatusCode);
    }

    [Fact]
    public async Task With_Google_on_health_says_enabled()
    {
        await using var fake = await GoogleWalletFake.StartAsync();
        await using var factory = new WalletPassesFactory(app.Azurite.ConnectionString, GoogleAppFixture.GoogleSettings(fake, fake.WriteServiceAccountKeyFile()));

        var health = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/health");

        Assert.True(health.GetProperty("google").GetProperty("enabled").GetBoolean());
    }

    [Theory]
    [InlineData("missing", "must name an existing service-account JSON key file")]
    [InlineData("""{"type": "service_account", "private_key": "SECRET-KEY-MATERIAL"}""", "needs type \"service_account\", client_email, private_key")]
    [InlineData("""{"type": "service_account", "client_email": "a@b.c", "private_key": "SECRET-KEY-MATERIAL", "token_uri": "https://oauth2.example/token"}""", "not a PEM RSA private key")]
    [InlineData("SECRET-KEY-MATERIAL", "not JSON")]
    public async Task A_bad_service_account_key_stops_start_up_with_a_message_that_does_not_quote_it(string keyFileContent, string expected)
    {
        await using var fake = await GoogleWalletFake.StartAsync();
        var keyFile = Path.Combine(TestCertificates.NewFolder(), "google.json");
        if (keyFileContent != "missing")
        {
            await File.WriteAllTextAsync(keyFile, keyFileContent);
        }

        var messages = await StartFailureAsync(() => new WalletPassesFactory(app.Azurite.ConnectionString, GoogleAppFixture.GoogleSettings(fake, keyFile)));
        Assert.Contains("ServiceAccountKeyFile", messages, StringComparison.Ordinal);
        Assert.Contains(expected, messages, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-KEY-MATERIAL", messages, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_key_as_JSON_text_instead_of_a_file_a_new_member_gets_its_Google_object()
    {
        // As an Azure app setting holding a Key Vault reference delivers it: the key file's text, no file.
        await using var fake = await GoogleWalletFake.StartAsync();
        var settings = GoogleAppFixture.GoogleSettings(fake, keyFile: "");
        settings["WalletPasses:Google:ServiceAccountKeyJson"] = await File.ReadAllTextAsync(fake.WriteServiceAccountKeyFile());
        await using var factory = new WalletPassesFactory(app.Azurite.ConnectionString, settings);

        var document = await TestMembers.CreateAsync(factory.CreateBackendClient(), TestMembers.NewId());

        var objectId = document.GetProperty("google").GetProperty("objectId").GetString()!;
        await Eventually.HoldsAsync(() => fake.StoredObjects.ContainsKey(objectId), "Google has the member's object");
        Assert.NotEmpty(fake.IssuedAccessTokens); // the fake grants tokens only for a JWT signed with the key it issued
    }

    [Theory]
    [InlineData("file and text", "ServiceAccountKeyFile and ServiceAccountKeyJson are both set; set only one of them")]
    [InlineData("", "set ServiceAccountKeyFile (the path of the service account's JSON key) or ServiceAccountKeyJson")]
    [InlineData("SECRET-KEY-MATERIAL", "ServiceAccountKeyJson: not JSON; paste the whole JSON key")]
    [InlineData("@Microsoft.KeyVault(VaultName=kv-example;SecretName=google-service-account-key)", "ServiceAccountKeyJson is an unresolved Key Vault reference: check that the secret exists")]
    [InlineData("""{"type": "service_account", "private_key": "SECRET-KEY-MATERIAL"}""", "ServiceAccountKeyJson: The service-account key needs type \"service_account\", client_email, private_key")]
    [InlineData("""{"type": "service_account", "client_email": "a@b.c", "private_key": "SECRET-KEY-MATERIAL", "token_uri": "https://oauth2.example/token"}""", "ServiceAccountKeyJson: its private_key is not a PEM RSA private key")]
    public async Task A_bad_or_ambiguous_key_as_JSON_text_stops_start_up_with_a_message_that_does_not_quote_it(string keyJson, string expected)
    {
        await using var fake = await GoogleWalletFake.StartAsync();
        var both = keyJson == "file and text";
        var settings = GoogleAppFixture.GoogleSettings(fake, both ? fake.WriteServiceAccountKeyFile() : "");
        settings["WalletPasses:Google:ServiceAccountKeyJson"] = both ? """{"private_key": "SECRET-KEY-MATERIAL"}""" : keyJson;
        var messages = await StartFailureAsync(() => new WalletPassesFactory(app.Azurite.ConnectionString, settings));
        Assert.Contains(expected, messages, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-KEY-MATERIAL", messages, StringComparison.Ordinal);
    }

    /// <summary>
    /// The messages of the exception that stops the app's start. WebApplicationFactory runs the entry point on a thread of
    /// its own; when its start fails, the factory can race the failed host's disposal and surface "Cannot access a
    /// disposed object" instead (seen once on a loaded machine; a real process exits with the start failure). A new
    /// factory then asks again.
    /// </summary>
    private static async Task<string> StartFailureAsync(Func<WalletPassesFactory> create)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var factory = create();
            var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
            if (failure is not ObjectDisposedException || attempt == 3)
            {
                return string.Join(" | ", Chain(failure).Select(e => e.Message));
            }
        }
    }

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Chain))
                {
                    yield return inner;
                }
            }
        }
    }
}
