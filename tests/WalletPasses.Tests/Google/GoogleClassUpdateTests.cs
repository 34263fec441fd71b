using System.Text.Json.Nodes;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Google;

public sealed class GoogleClassUpdateTests(GoogleAppFixture app) : IClassFixture<GoogleAppFixture>
{
    [Fact]
    public async Task A_changed_template_updates_the_class_under_review()
    {
        await Eventually.HoldsAsync(() => app.Fake.StoredClasses.ContainsKey(GoogleAppFixture.ClassId), "the class exists",
            step: () => app.Factory.Time.Advance(TimeSpan.FromMinutes(1))); // the class job's next run
        var blob = app.Azurite.Blobs.GetBlobContainerClient(app.Factory.StoragePrefix + "templates").GetBlobClient("default/template.json");
        var template = JsonNode.Parse((await blob.DownloadContentAsync()).Value.Content.ToString())!;
        template["organizationName"] = "Northwind Coffee & Tea";
        template["tiers"]![0]!["backgroundColor"] = "#112233";

        await blob.UploadAsync(BinaryData.FromString(template.ToJsonString()), overwrite: true);

        await Eventually.HoldsAsync(
            () => app.Fake.StoredClasses[GoogleAppFixture.ClassId]["issuerName"]!.GetValue<string>() == "Northwind Coffee & Tea",
            "the class shows the new template",
            step: () => app.Factory.Time.Advance(TimeSpan.FromMinutes(1)));
        Assert.Equal("#112233", app.Fake.StoredClasses[GoogleAppFixture.ClassId]["hexBackgroundColor"]!.GetValue<string>());
        var patch = JsonNode.Parse(app.Fake.ApiRequests.Last(request => request.Method == "PATCH").Body)!;
        Assert.Equal("UNDER_REVIEW", patch["reviewStatus"]!.GetValue<string>());
        Assert.Empty(app.Fake.SchemaErrors);
    }
}
