using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Templates;

public sealed class TemplateReloadTests
{
    [Fact]
    public async Task A_changed_template_in_Blob_Storage_is_picked_up_without_a_restart_and_a_broken_one_is_ignored()
    {
        var azurite = await AzuriteServer.Shared;
        var programId = "reload-" + Guid.NewGuid().ToString("N")[..8];
        await using var factory = new WalletPassesFactory(azurite.ConnectionString, new Dictionary<string, string?> { ["WalletPasses:ProgramId"] = programId });
        var backend = factory.CreateBackendClient();
        var created = await backend.PutAsync($"/api/members/m-{Guid.NewGuid():N}", new StringContent("""{"displayName": "Jane", "points": 5, "tier": "gold"}""", Encoding.UTF8, "application/json"));
        var link = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("apple").GetProperty("passUrl").GetString();
        var customer = factory.CreateClient();
        Assert.Equal("rgb(30, 57, 50)", new PkPass(await customer.GetByteArrayAsync(link)).PassJson.GetProperty("backgroundColor").GetString());

        var blob = azurite.Blobs.GetBlobContainerClient(factory.StoragePrefix + "templates").GetBlobClient($"{programId}/template.json");
        var template = JsonNode.Parse((await blob.DownloadContentAsync()).Value.Content.ToString())!;
        template["tiers"]![1]!["backgroundColor"] = "#112233";
        await blob.UploadAsync(BinaryData.FromString(template.ToJsonString()), overwrite: true);
        factory.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal("rgb(17, 34, 51)", new PkPass(await customer.GetByteArrayAsync(link)).PassJson.GetProperty("backgroundColor").GetString());

        template["tiers"]![1]!["backgroundColor"] = "not a colour";
        await blob.UploadAsync(BinaryData.FromString(template.ToJsonString()), overwrite: true);
        factory.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal("rgb(17, 34, 51)", new PkPass(await customer.GetByteArrayAsync(link)).PassJson.GetProperty("backgroundColor").GetString());
    }
}
