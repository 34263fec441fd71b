using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Events;
using WalletPasses.Google;
using WalletPasses.Publishing;
using WalletPasses.Templates;
using WalletPasses.Tests.Infrastructure;
using WalletPasses.Tests.Publishing;

namespace WalletPasses.Tests.Google;

/// <summary>
/// Two instances of one deployment (the Functions host scales out): each loads the program's template and looks for
/// a change only every so often. The class is Google's, one for all instances, and a PATCH replaces what it names
/// (https://developers.google.com/wallet/reference/rest/v1/loyaltyclass/patch): an instance that still has the template
/// from before a publication must not patch the class, or a re-issued member's object, back to the old look.
/// </summary>
public sealed class GoogleTemplateAcrossInstancesTests : IAsyncLifetime
{
    private const string ClassPath = "/walletobjects/v1/loyaltyClass/" + GoogleAppFixture.ClassId;

    private GoogleTwoInstances _instances = null!;

    private WalletPassesFactory Publisher => _instances.First;

    private WalletPassesFactory Behind => _instances.Second;

    public async Task InitializeAsync() => _instances = await GoogleTwoInstances.StartAsync();

    public async Task DisposeAsync() => await _instances.DisposeAsync();

    [Fact]
    public async Task An_instance_with_the_template_from_before_a_publication_leaves_the_published_class_as_it_is()
    {
        await ClassSync(Publisher).RunOnceAsync(default);
        var before = await Behind.Services.GetRequiredService<ITemplateSource>().GetCurrentAsync(default); // loaded (serving a pass, say)

        // The first instance publishes a new colour for the class (the first tier's); its publication patches the class.
        await PublishAsync(template => template["tiers"]![0]!["backgroundColor"] = "#223344");
        Assert.Equal("#223344", Colour());
        var patches = ClassPatches();

        // The second instance's class job runs before its template's next refresh: it still has the old colour.
        Assert.Same(before, await Behind.Services.GetRequiredService<ITemplateSource>().GetCurrentAsync(default));
        await ClassSync(Behind).RunOnceAsync(default);

        // Before the fix it patched the class back to its own template's colour until its next refresh.
        Assert.Equal("#223344", Colour());
        Assert.Equal(patches, ClassPatches());
        Assert.Empty(_instances.Fake.SchemaErrors);
    }

    [Fact]
    public async Task An_instance_with_the_template_from_before_a_publication_shows_a_reissued_member_with_the_published_look()
    {
        var (memberId, objectId) = await _instances.CreateMemberAsync();
        await Behind.Services.GetRequiredService<ITemplateSource>().GetCurrentAsync(default); // loaded (serving a pass, say)

        // The first instance publishes a new name for the gold tier; its re-issue shows it on the member's object.
        await PublishAsync(template => template["strings"]!["en"]!["tier.gold"] = "Golden");
        await Eventually.HoldsAsync(() => TierShown(objectId) == "Golden", "the re-issued object shows the new tier name");

        // The second instance, its template not yet refreshed, applies a points event for the member.
        Assert.Equal(EventOutcome.Applied, await Behind.Services.GetRequiredService<LoyaltyEventProcessor>().ProcessAsync(GoogleTestEvents.Points(memberId, 1, 2000), default));

        // Before the fix it wrote the object with its own template: "Gold" again, recorded as synced.
        Assert.Equal(2000, _instances.Balance(objectId));
        Assert.Equal("Golden", TierShown(objectId));
        Assert.Empty(_instances.Fake.SchemaErrors);
    }

    private async Task PublishAsync(Action<JsonNode> change)
    {
        using var backend = Publisher.CreateBackendClient();
        await TemplateZips.PublishChangedAsync(Publisher, backend, change);
    }

    private string? TierShown(string objectId) => _instances.Fake.StoredObjects[objectId]["secondaryLoyaltyPoints"]?["balance"]?["string"]?.GetValue<string>();

    private static GoogleClassSyncJob ClassSync(WalletPassesFactory instance) => instance.Services.GetRequiredService<GoogleClassSyncJob>();

    private string Colour() => _instances.Fake.StoredClasses[GoogleAppFixture.ClassId]["hexBackgroundColor"]!.GetValue<string>();

    private int ClassPatches() => _instances.Fake.ApiRequests.Count(request => request.Method == "PATCH" && request.Path == ClassPath);
}
