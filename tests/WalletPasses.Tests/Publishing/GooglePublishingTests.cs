using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Publishing;
using WalletPasses.Tests.Google;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Publishing;

/// <summary>
/// Publishing with Google Wallet on, against the Google Wallet fake (requests checked against the vendored discovery
/// document): the class is patched once per publication, and objects are updated only when their own fields change.
/// A class change sends an approved class back to review (LoyaltyClass.reviewStatus in the discovery document: "When
/// updating an already approved class you should keep setting this field to underReview").
/// </summary>
public sealed class GooglePublishingTests(GoogleAppFixture google) : IClassFixture<GoogleAppFixture>
{
    private const string ClassPath = "/walletobjects/v1/loyaltyClass/" + GoogleAppFixture.ClassId;

    private Task<string> PublishAsync(HttpClient backend, Action<JsonNode> change) => TemplateZips.PublishChangedAsync(google.Factory, backend, change);

    private int ObjectWrites(string objectId) => google.RequestsFor(objectId).Count(r => r.Method is "PUT" or "PATCH" or "POST");

    private int ClassPatches() => google.Fake.ApiRequests.Count(r => r.Method == "PATCH" && r.Path == ClassPath);

    [Fact]
    public async Task A_class_change_patches_the_class_once_and_leaves_objects_alone_and_a_tier_rename_updates_the_objects()
    {
        using var backend = google.Factory.CreateBackendClient();
        var objects = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var member = await google.CreateMemberAsync("m-" + Guid.NewGuid().ToString("N")[..12]);
            objects.Add(member.GetProperty("google").GetProperty("objectId").GetString()!);
        }

        // The class's colour is the first tier's: a class field, no object field.
        var recolour = await TemplateZips.ChangedAsync(backend, template => template["tiers"]![0]!["backgroundColor"] = "#223344");
        Assert.Equal(HttpStatusCode.NoContent, (await TemplateZips.UploadAsync(backend, recolour)).StatusCode);
        var classImpact = (await backend.GetFromJsonAsync<JsonElement>("/api/programs/default/template/draft/impact")).GetProperty("google");
        Assert.True(classImpact.GetProperty("classNeedsReview").GetBoolean());
        Assert.Equal("hexBackgroundColor", classImpact.GetProperty("classFieldsChanged")[0].GetString());
        Assert.Equal(0, classImpact.GetProperty("objectsChanged").GetInt32());

        var objectWritesBefore = objects.Sum(ObjectWrites);
        var patchesBefore = ClassPatches();
        var first = await PublishAsync(backend, template => template["tiers"]![0]!["backgroundColor"] = "#223344");
        Assert.Equal(patchesBefore + 1, ClassPatches());
        Assert.Equal("#223344", google.Fake.StoredClasses[GoogleAppFixture.ClassId]["hexBackgroundColor"]!.GetValue<string>());
        Assert.Equal(objectWritesBefore, objects.Sum(ObjectWrites));
        var firstDone = await backend.GetFromJsonAsync<JsonElement>($"/api/programs/default/template/publications/{first}");
        Assert.Equal(0, firstDone.GetProperty("googleObjectsUpdated").GetInt64());
        Assert.True(firstDone.GetProperty("googleClassUpdated").GetBoolean());

        // Renaming the gold tier changes what each gold member's object shows beside the points.
        var renamed = await PublishAsync(backend, template => template["strings"]!["en"]!["tier.gold"] = "Golden");
        var renamedDone = await backend.GetFromJsonAsync<JsonElement>($"/api/programs/default/template/publications/{renamed}");
        Assert.Equal(renamedDone.GetProperty("membersDone").GetInt64(), renamedDone.GetProperty("googleObjectsUpdated").GetInt64());
        await Eventually.HoldsAsync(
            () => objects.All(id => google.StoredObject(id)?["secondaryLoyaltyPoints"]?["balance"]?["string"]?.GetValue<string>() == "Golden"),
            "every gold member's object shows the new tier name");
        Assert.Empty(google.Fake.SchemaErrors);
    }
}
