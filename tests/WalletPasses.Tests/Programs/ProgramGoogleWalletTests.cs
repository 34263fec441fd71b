using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Google;
using WalletPasses.Publishing;
using WalletPasses.Tests.Google;
using WalletPasses.Tests.Infrastructure;
using WalletPasses.Tests.Publishing;

namespace WalletPasses.Tests.Programs;

/// <summary>
/// Issue 14: "A program has its own template, Pass Type ID certificate, Google class…". Two programs hold a member of
/// the SAME member id, over Azurite and the Google fake (which refuses, as Google does, an object whose class does not
/// exist: LoyaltyObject.classId "must be a class of this issuer", Google Wallet REST reference, loyaltyobject.insert).
/// Each program's members get objects of their program's class, built from their program's template; the class sync
/// job keeps every program's class current; each save link's skinny JWT names the object's own class
/// (Google's JWT reference: payload.loyaltyObjects[] of {id, classId}).
/// </summary>
public sealed class ProgramGoogleWalletTests
{
    private const string DefaultClassId = GoogleAppFixture.ClassId;
    private const string SecondClassId = GoogleWalletTestData.IssuerId + ".walletpasses-" + TwoPrograms.SecondProgram;

    /// <summary>What sets the second program's template apart where Google shows it: its program name and points label.</summary>
    private static void SecondProgramTexts(JsonNode template)
    {
        template["strings"]!["en"]!["program.name"] = "Second Program";
        template["strings"]!["en"]!["label.points"] = "Stars";
    }

    [Fact]
    public async Task Two_programs_members_of_the_same_id_get_objects_of_their_own_class_built_from_their_own_template()
    {
        await using var fake = await GoogleWalletFake.StartAsync();
        await using var factory = await StartWithSecondProgramAsync(fake);
        using var backend = factory.CreateBackendClient();
        var memberId = TestMembers.NewId();

        var inDefault = await (await TwoPrograms.PutMemberAsync(backend, $"/api/members/{memberId}", "Default Dana", 100)).Content.ReadFromJsonAsync<JsonElement>();
        var inSecond = await (await TwoPrograms.PutMemberAsync(backend, $"/api/programs/second/members/{memberId}", "Second Sam", 700)).Content.ReadFromJsonAsync<JsonElement>();
        var defaultObjectId = inDefault.GetProperty("google").GetProperty("objectId").GetString()!;
        var secondObjectId = inSecond.GetProperty("google").GetProperty("objectId").GetString()!;

        // Two objects (the object id is the pass's serial number, so the default program's ids are what they always were).
        Assert.NotEqual(defaultObjectId, secondObjectId);
        Assert.Equal($"{GoogleWalletTestData.IssuerId}.{inDefault.GetProperty("apple").GetProperty("serialNumber").GetString()}", defaultObjectId);
        var defaultObject = fake.StoredObjects[defaultObjectId];
        var secondObject = fake.StoredObjects[secondObjectId];

        // Each in its program's class, showing the member id the backend knows, built from its program's template.
        Assert.Equal(DefaultClassId, defaultObject["classId"]!.GetValue<string>());
        Assert.Equal(SecondClassId, secondObject["classId"]!.GetValue<string>());
        Assert.Equal(memberId, defaultObject["accountId"]!.GetValue<string>());
        Assert.Equal(memberId, secondObject["accountId"]!.GetValue<string>());
        Assert.Equal("Second Sam", secondObject["accountName"]!.GetValue<string>());
        Assert.Equal("Points", defaultObject["loyaltyPoints"]!["label"]!.GetValue<string>());
        Assert.Equal("Stars", secondObject["loyaltyPoints"]!["label"]!.GetValue<string>());
        Assert.Equal(700, secondObject["loyaltyPoints"]!["balance"]!["int"]!.GetValue<int>());

        // Both classes exist, each from its program's template; their images are the program's own, served publicly.
        Assert.NotEqual("Second Program", fake.StoredClasses[DefaultClassId]["programName"]!.GetValue<string>());
        Assert.Equal("Second Program", fake.StoredClasses[SecondClassId]["programName"]!.GetValue<string>());
        var secondLogo = new Uri(fake.StoredClasses[SecondClassId]["programLogo"]!["sourceUri"]!["uri"]!.GetValue<string>());
        var secondHero = new Uri(secondObject["heroImage"]!["sourceUri"]!["uri"]!.GetValue<string>());
        Assert.StartsWith("/api/templates/second/images/", secondLogo.AbsolutePath, StringComparison.Ordinal);
        Assert.StartsWith("/api/templates/second/images/", secondHero.AbsolutePath, StringComparison.Ordinal);
        using var customer = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri(WalletPassesFactory.PublicBaseUrl) });
        Assert.Equal(HttpStatusCode.OK, (await customer.GetAsync(new Uri(secondLogo.PathAndQuery, UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await customer.GetAsync(new Uri("/api/templates/nosuch/images/hero.png", UriKind.Relative))).StatusCode);

        // A save link for each names its own object and class.
        Assert.Equal((defaultObjectId, DefaultClassId), await SavedObjectAsync(customer, inDefault));
        Assert.Equal((secondObjectId, SecondClassId), await SavedObjectAsync(customer, inSecond));

        // Google's save callback for the second object reaches the backend as that program's member, by the backend's id.
        using var signer = new GoogleCallbackSigner();
        fake.PublishCallbackRootKey(signer.RootKey.ExportSubjectPublicKeyInfo(), DateTimeOffset.UtcNow.AddYears(1));
        var now = factory.Time.GetUtcNow();
        var callback = signer.Callback(GoogleCallbackSigner.Message(SecondClassId, secondObjectId, "save", now.AddMinutes(5), Guid.NewGuid().ToString()), GoogleWalletTestData.IssuerId, now.AddDays(7));
        Assert.Equal(HttpStatusCode.OK, (await customer.PostAsync(new Uri("/api/google/callbacks", UriKind.Relative), new StringContent(callback, Encoding.UTF8, "application/json"))).StatusCode);
        var queue = await TwoPrograms.ActivityQueueAsync(factory);
        var installed = Assert.Single(await StaffTesting.ActivitiesAsync(queue, activity => activity.GetProperty("type").GetString() == "pass.installed"));
        Assert.Equal(memberId, installed.GetProperty("memberId").GetString());
        Assert.Equal(TwoPrograms.SecondProgram, installed.GetProperty("programId").GetString());
        Assert.Equal(secondObjectId, installed.GetProperty("objectId").GetString());

        // A points change of the second program's member patches its object in its class; the other stays as it was.
        Assert.Equal(HttpStatusCode.OK, (await TwoPrograms.PutMemberAsync(backend, $"/api/programs/second/members/{memberId}", "Second Sam", 750)).StatusCode);
        await Eventually.HoldsAsync(
            () => fake.StoredObjects[secondObjectId]["loyaltyPoints"]!["balance"]!["int"]!.GetValue<int>() == 750, "the second object shows 750");
        Assert.Equal(SecondClassId, fake.StoredObjects[secondObjectId]["classId"]!.GetValue<string>());
        Assert.Equal(100, fake.StoredObjects[defaultObjectId]["loyaltyPoints"]!["balance"]!["int"]!.GetValue<int>());
        Assert.Empty(fake.SchemaErrors);
    }

    // Retiring a brand stops its pass updates, not an erasure: the member's name must leave Google's stored object (the
    // voided version's full update, LoyaltyObject PUT, "fields left null are cleared") even after the program is retired.
    [Fact]
    public async Task Erasing_a_retired_programs_member_still_clears_their_name_from_Googles_object()
    {
        await using var fake = await GoogleWalletFake.StartAsync();
        await using var factory = await StartWithSecondProgramAsync(fake);
        using var backend = factory.CreateBackendClient();
        var memberId = TestMembers.NewId();
        var inSecond = await (await TwoPrograms.PutMemberAsync(backend, $"/api/programs/second/members/{memberId}", "Second Sam", 700)).Content.ReadFromJsonAsync<JsonElement>();
        var secondObjectId = inSecond.GetProperty("google").GetProperty("objectId").GetString()!;
        Assert.Equal("Second Sam", fake.StoredObjects[secondObjectId]["accountName"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await backend.PostAsync(new Uri($"/api/programs/{TwoPrograms.SecondProgram}/retire", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await backend.DeleteAsync(new Uri($"/api/programs/second/members/{memberId}", UriKind.Relative))).StatusCode);

        await Eventually.HoldsAsync(() => fake.StoredObjects[secondObjectId]["accountName"] is null, "the erased member's name is gone from Google's object");
        Assert.DoesNotContain("Second Sam", fake.StoredObjects[secondObjectId].ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_class_sync_job_creates_every_programs_class_and_a_publication_patches_its_own_programs_class()
    {
        await using var fake = await GoogleWalletFake.StartAsync();
        await using var factory = await StartWithSecondProgramAsync(fake);
        using var backend = factory.CreateBackendClient();

        // No member yet: only the job brings the classes into being.
        await factory.Services.GetRequiredService<GoogleClassSyncJob>().RunOnceAsync(default);

        Assert.Contains(DefaultClassId, fake.StoredClasses.Keys);
        Assert.Equal("Second Program", fake.StoredClasses[SecondClassId]["programName"]!.GetValue<string>());
        Assert.NotEqual("Second Program", fake.StoredClasses[DefaultClassId]["programName"]!.GetValue<string>());

        // A new publication of the second program patches the second program's class, not the default one.
        var defaultColour = fake.StoredClasses[DefaultClassId]["hexBackgroundColor"]!.GetValue<string>();
        await RepublishSecondAsync(factory, backend, template => template["tiers"]![0]!["backgroundColor"] = "#223344");
        Assert.Equal("#223344", fake.StoredClasses[SecondClassId]["hexBackgroundColor"]!.GetValue<string>());
        Assert.Equal("Second Program", fake.StoredClasses[SecondClassId]["programName"]!.GetValue<string>());
        Assert.Equal(defaultColour, fake.StoredClasses[DefaultClassId]["hexBackgroundColor"]!.GetValue<string>());
        Assert.NotEqual("Second Program", fake.StoredClasses[DefaultClassId]["programName"]!.GetValue<string>());
        Assert.Empty(fake.SchemaErrors);
    }

    [Fact]
    public async Task The_class_sync_job_skips_a_program_with_no_template_to_show_and_keeps_the_others_classes_current()
    {
        await using var fake = await GoogleWalletFake.StartAsync();
        await using var factory = await StartWithSecondProgramAsync(fake);
        using var backend = factory.CreateBackendClient();
        // A third program with a draft only (not published yet): nothing of it is on Google until it publishes, and a
        // run of the job (every minute) neither fails on it nor makes its class.
        const string third = "third";
        var draft = await TemplateZips.ChangedAsync(backend, template => template["programId"] = third);
        Assert.Equal(HttpStatusCode.NoContent, (await TemplateZips.UploadAsync(backend, draft, $"/api/programs/{third}/template")).StatusCode);

        await factory.Services.GetRequiredService<GoogleClassSyncJob>().RunOnceAsync(default);

        Assert.Contains(DefaultClassId, fake.StoredClasses.Keys);
        Assert.Contains(SecondClassId, fake.StoredClasses.Keys);
        Assert.DoesNotContain(GoogleWalletTestData.IssuerId + ".walletpasses-" + third, fake.StoredClasses.Keys);
    }

    /// <summary>The app with Google on (talking to <paramref name="fake"/>) and the second program published.</summary>
    private static Task<WalletPassesFactory> StartWithSecondProgramAsync(GoogleWalletFake fake) =>
        TwoPrograms.StartAsync(GoogleAppFixture.GoogleSettings(fake, fake.WriteServiceAccountKeyFile()), SecondProgramTexts);

    /// <summary>Publishes the second program's current template with <paramref name="change"/>, and runs the bulk re-issue to its end.</summary>
    private static async Task RepublishSecondAsync(WalletPassesFactory factory, HttpClient backend, Action<JsonNode> change)
    {
        const string route = "/api/programs/" + TwoPrograms.SecondProgram + "/template";
        var entries = TemplateZips.Entries(await backend.GetByteArrayAsync(new Uri(route, UriKind.Relative)));
        var template = JsonNode.Parse(entries["template.json"])!;
        change(template);
        entries["template.json"] = Encoding.UTF8.GetBytes(template.ToJsonString());
        Assert.Equal(HttpStatusCode.NoContent, (await TemplateZips.UploadAsync(backend, TemplateZips.Zip(entries), route)).StatusCode);
        var published = await backend.PostAsync(new Uri(route + "/publish", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, published.StatusCode);
        var publicationId = (await published.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("publicationId").GetString()!;
        var job = factory.Services.GetRequiredService<BulkReissueJob>();
        for (var run = 0; run < 10 && (await backend.GetFromJsonAsync<JsonElement>($"{route}/publications/{publicationId}")).GetProperty("state").GetString() == PublicationStates.Running; run++)
        {
            await job.RunOnceAsync(CancellationToken.None);
        }
    }

    /// <summary>The (object id, class id) the member's save link's JWT names.</summary>
    private static async Task<(string ObjectId, string ClassId)> SavedObjectAsync(HttpClient customer, JsonElement member)
    {
        var redirect = await customer.GetAsync(new Uri(member.GetProperty("google").GetProperty("saveUrl").GetString()!));
        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        var jwt = redirect.Headers.Location!.AbsoluteUri[SaveJwtBuilder.SaveUrlPrefix.Length..].Split('.');
        var saved = JsonNode.Parse(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(jwt[1])))!["payload"]!["loyaltyObjects"]!.AsArray().Single()!;
        return (saved["id"]!.GetValue<string>(), saved["classId"]!.GetValue<string>());
    }
}
