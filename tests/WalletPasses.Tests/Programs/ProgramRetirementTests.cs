using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using WalletPasses.Delivery;
using WalletPasses.Events;
using WalletPasses.Members;
using WalletPasses.Publishing;
using WalletPasses.Storage;
using WalletPasses.Telemetry;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Google;
using WalletPasses.Tests.Infrastructure;
using WalletPasses.Tests.Publishing;

namespace WalletPasses.Tests.Programs;

/// <summary>
/// An operator retires one brand of a two-brand deployment through <c>POST /api/programs/{programId}/retire</c>, while a
/// phone holds passes of both brands. Devices keep speaking Apple's PassKit web service (Wallet Developer Guide,
/// "PassKit Web Service Reference" / developer.apple.com "Wallet Passes" web service endpoints: "Register a pass for
/// update notifications" answers 201/200 or 401, "Get the list of updatable passes" 200 with serial numbers or 204,
/// "Send an updated pass" 200/304 or 401, "otherwise, the appropriate standard HTTP status"): the retired brand's pass
/// type is one the service no longer issues (404), and the other brand's pass on the same phone keeps updating. The
/// backend is told why its changes are refused (409 "Program retired"), the customer's old link says the program ended
/// (410), staff scanning the retired brand's pass get "unknown", never a 500.
/// </summary>
public sealed class ProgramRetirementTests
{
    [Fact]
    public async Task Retiring_is_idempotent_refuses_the_default_program_and_answers_404_for_an_unknown_one()
    {
        await using var factory = await TwoPrograms.StartAsync(new Dictionary<string, string?>
        {
            ["WalletPasses:ApiKeys:Backend:second-brand"] = SecondBrandKey,
            ["WalletPasses:ApiKeys:BackendPrograms:second-brand:0"] = TwoPrograms.SecondProgram,
        });
        using var backend = factory.CreateBackendClient();

        using var anonymous = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync(RetireRoute(TwoPrograms.SecondProgram), null)).StatusCode);
        using var staffKey = factory.CreateStaffClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await staffKey.PostAsync(RetireRoute(TwoPrograms.SecondProgram), null)).StatusCode);

        // The brand's own backend (a key limited to its program) cannot end it for every holder: only the operator's key can.
        using var brandBackend = factory.CreateClientWithKey(SecondBrandKey);
        var byBrand = await brandBackend.PostAsync(RetireRoute(TwoPrograms.SecondProgram), null);
        Assert.Equal(HttpStatusCode.Forbidden, byBrand.StatusCode);
        Assert.Contains("WalletPasses:ApiKeys:BackendPrograms", (await byBrand.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, (await TwoPrograms.PutMemberAsync(brandBackend, $"/api/programs/second/members/{TestMembers.NewId()}", "Still Live", 1)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await brandBackend.PostAsync(RetireRoute("default"), null)).StatusCode); // not its program: as for none

        var first = await backend.PostAsync(RetireRoute(TwoPrograms.SecondProgram), null);
        factory.Time.Advance(TimeSpan.FromMinutes(5));
        var again = await backend.PostAsync(RetireRoute(TwoPrograms.SecondProgram), null);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var retiredAt = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("retiredAt").GetDateTimeOffset();
        Assert.Equal(retiredAt, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("retiredAt").GetDateTimeOffset());

        var unknown = await backend.PostAsync(RetireRoute("nosuch"), null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("Unknown program", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());

        var defaultProgram = await backend.PostAsync(RetireRoute("default"), null);
        Assert.Equal(HttpStatusCode.Conflict, defaultProgram.StatusCode);
        Assert.Contains("WalletPasses:ProgramId", (await defaultProgram.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retired_programs_passes_links_events_and_changes_are_refused_while_the_same_phones_other_pass_keeps_updating()
    {
        await using var factory = await TwoPrograms.StartAsync();
        using var backend = factory.CreateBackendClient();
        var both = await TwoPrograms.InstallBothAsync(factory, backend);
        var (memberId, defaultPass, secondPass, secondBarcode) = (both.MemberId, both.DefaultPass, both.SecondPass, both.SecondBarcode);
        var secondLink = (await backend.GetFromJsonAsync<JsonElement>($"/api/programs/second/members/{memberId}")).GetProperty("apple").GetProperty("passUrl").GetString()!;
        var phone = new SimulatedDevice(factory);
        Assert.Equal(HttpStatusCode.Created, (await phone.RegisterAsync(defaultPass)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await backend.PostAsync(RetireRoute(TwoPrograms.SecondProgram), null)).StatusCode);

        // PassKit: the retired pass type is no longer issued (register, list, fetch); the default pass still is.
        Assert.Equal(HttpStatusCode.NotFound, (await phone.RegisterAsync(secondPass)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await phone.FetchPassAsync(secondPass)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await phone.ListAsync(secondPass)).StatusCode);
        Assert.Equal([defaultPass.SerialNumber], (await phone.ListChangedAsync(defaultPass)).SerialNumbers);
        Assert.Equal(HttpStatusCode.OK, (await phone.FetchPassAsync(defaultPass)).StatusCode);

        // The customer's old "add to Wallet" link: a clear 410, not the pass and not a 500.
        using var customer = factory.CreateClient();
        var link = await customer.GetAsync(new Uri(new Uri(secondLink).PathAndQuery, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Gone, link.StatusCode);
        Assert.Contains("ended", await link.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The backend: changes are 409 saying the program is retired; reading and erasing its members still work.
        var put = await TwoPrograms.PutMemberAsync(backend, $"/api/programs/second/members/{memberId}", "Second Sam", 900);
        Assert.Equal(HttpStatusCode.Conflict, put.StatusCode);
        Assert.Equal("Program retired", (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.Equal(700, (await backend.GetFromJsonAsync<JsonElement>($"/api/programs/second/members/{memberId}")).GetProperty("points").GetInt64());
        var draft = await TemplateZips.ChangedAsync(backend, template =>
        {
            template["programId"] = TwoPrograms.SecondProgram;
            template["passTypeIdentifier"] = TwoPrograms.SecondPassType;
        });
        Assert.Equal(HttpStatusCode.Conflict, (await TemplateZips.UploadAsync(backend, draft, $"/api/programs/{TwoPrograms.SecondProgram}/template")).StatusCode);

        var events = await backend.PostAsync("/api/loyalty-events", TestMembers.Json(
            $$"""{"eventId": "evt-{{Guid.NewGuid():N}}", "memberId": "{{memberId}}", "sequence": 1, "occurredAt": "2026-11-23T10:00:00Z", "type": "points.changed", "points": 5, "programId": "second"}"""));
        Assert.Equal(HttpStatusCode.Conflict, events.StatusCode);
        var eventsProblem = await events.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Program retired", eventsProblem.GetProperty("title").GetString());
        Assert.Contains("retired", eventsProblem.GetProperty("errors").GetProperty("programId")[0].GetString(), StringComparison.Ordinal);

        // Staff: the retired brand's pass is not one they can accept; nothing about its member.
        using var staff = factory.CreateStaffClient();
        var scan = await StaffTesting.ValidateOkAsync(staff, secondBarcode);
        Assert.False(scan.GetProperty("valid").GetBoolean());
        Assert.Equal("unknown", scan.GetProperty("reason").GetString());
        Assert.DoesNotContain("Sam", scan.GetRawText(), StringComparison.Ordinal);

        Assert.True((await backend.DeleteAsync(new Uri($"/api/programs/second/members/{memberId}", UriKind.Relative))).IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await backend.GetAsync(new Uri($"/api/programs/second/members/{memberId}", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task What_was_under_way_when_a_program_is_retired_settles_without_a_push_a_reissue_a_save_or_a_poisoned_event()
    {
        await using var google = await GoogleWalletFake.StartAsync();
        await using var factory = await TwoPrograms.StartAsync(GoogleAppFixture.GoogleSettings(google, google.WriteServiceAccountKeyFile()));
        using var backend = factory.CreateBackendClient();
        var both = await TwoPrograms.InstallBothAsync(factory, backend);
        var storageId = TwoPrograms.SecondProgram + "|" + both.MemberId;
        var phone = new SimulatedDevice(factory);
        Assert.Equal(HttpStatusCode.Created, (await phone.RegisterAsync(both.SecondPass)).StatusCode);

        // Under way at retirement: a version APNs did not take (503, Apple's "Handling notification responses from
        // APNs": the server is unavailable, try later), a re-issue of a new template, and an event accepted (202) but
        // not applied yet. The customer still holds their Google "add to Wallet" link.
        SharedApns.Emulator.RespondToToken(phone.PushToken, ApnsReply.ServiceUnavailable);
        Assert.Equal(HttpStatusCode.OK, (await TwoPrograms.PutMemberAsync(backend, $"/api/programs/second/members/{both.MemberId}", "Second Sam", 800)).StatusCode);
        var announcements = factory.Services.GetRequiredService<Announcements>();
        await Eventually.HoldsAsync(
            async () => await announcements.GetAsync(storageId, CancellationToken.None) is { FailedAttempts: > 0 } failed && failed.PendingPlatforms.Contains("apple"),
            "the version's push failed and waits for a retry");
        var draft = await TemplateZips.ChangedAsync(backend, template =>
        {
            template["programId"] = TwoPrograms.SecondProgram;
            template["passTypeIdentifier"] = TwoPrograms.SecondPassType;
            template["programName"] = "Second Program, renamed";
        });
        Assert.Equal(HttpStatusCode.NoContent, (await TemplateZips.UploadAsync(backend, draft, $"/api/programs/{TwoPrograms.SecondProgram}/template")).StatusCode);
        var published = await backend.PostAsync(new Uri($"/api/programs/{TwoPrograms.SecondProgram}/template/publish", UriKind.Relative), null);
        var publicationUrl = $"/api/programs/{TwoPrograms.SecondProgram}/template/publications/{(await published.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("publicationId").GetString()}";
        var acceptedEvent = $$"""{"eventId": "evt-{{Guid.NewGuid():N}}", "memberId": "{{both.MemberId}}", "sequence": 9, "occurredAt": "2026-11-23T10:00:00Z", "type": "points.changed", "points": 5, "programId": "second"}""";
        var saveUrl = new Uri((await backend.GetFromJsonAsync<JsonElement>($"/api/programs/second/members/{both.MemberId}")).GetProperty("google").GetProperty("saveUrl").GetString()!);

        Assert.Equal(HttpStatusCode.OK, (await backend.PostAsync(RetireRoute(TwoPrograms.SecondProgram), null)).StatusCode);
        SharedApns.Emulator.RespondToToken(phone.PushToken, ApnsReply.Ok);
        var pushesBefore = SharedApns.Emulator.Pushes.Count(push => push.PushToken == phone.PushToken);
        var googleWritesBefore = SecondProgramWrites(google, both);
        using var processed = new MetricCollector<long>(factory.Services.GetRequiredService<IMeterFactory>(), WalletPassesTelemetry.Name, "walletpasses.events.processed");
        // Past any retry back-off (DeliveryOptions.MaxRetryDelay, 1 h); the job runs until the version settles, as its
        // timer would, since an attempt started before the retirement may still hold the row when the first run reads it.
        factory.Time.Advance(TimeSpan.FromHours(2));
        var staleAnnouncements = factory.Services.GetRequiredService<StaleAnnouncementsJob>();
        await Eventually.HoldsAsync(
            async () =>
            {
                await staleAnnouncements.RunOnceAsync(CancellationToken.None);
                return (await announcements.GetAsync(storageId, CancellationToken.None))!.PendingPlatforms.Count == 0;
            },
            "the retired program's version settles");
        await factory.Services.GetRequiredService<BulkReissueJob>().RunOnceAsync(CancellationToken.None);
        var eventOutcome = await factory.Services.GetRequiredService<LoyaltyEventMessages>().HandleAsync(acceptedEvent, dequeueCount: 1, insertedOn: null, CancellationToken.None);

        // The version settled unannounced and left the retry index: no push now, none later.
        Assert.Empty((await announcements.GetAsync(storageId, CancellationToken.None))!.PendingPlatforms);
        Assert.DoesNotContain(await announcements.DueAsync(100, CancellationToken.None), due => due.PartitionKey == storageId);
        Assert.Equal(pushesBefore, SharedApns.Emulator.Pushes.Count(push => push.PushToken == phone.PushToken));
        Assert.Equal(googleWritesBefore, SecondProgramWrites(google, both));

        // The re-issue ended as stopped (README: "a re-issue still running ends as stopped"), not left running.
        Assert.Equal(PublicationStates.Stopped, (await backend.GetFromJsonAsync<JsonElement>(publicationUrl)).GetProperty("state").GetString());

        // The customer's Google link: 410 "Program ended", no redirect to Google's save page.
        using var customer = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri(WalletPassesFactory.PublicBaseUrl) });
        var save = await customer.GetAsync(new Uri(saveUrl.PathAndQuery, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Gone, save.StatusCode);
        Assert.Contains("ended", await save.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The accepted event: off the queue, not applied, counted as refused for its retired program; not on the
        // poison queue, which an operator watches for faults.
        Assert.Equal(QueueMessageOutcome.Done, eventOutcome);
        Assert.Equal(800, (await backend.GetFromJsonAsync<JsonElement>($"/api/programs/second/members/{both.MemberId}")).GetProperty("points").GetInt64());
        var poison = new QueueClient((await AzuriteServer.Shared).ConnectionString, factory.StoragePrefix + "loyalty-events-poison", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        Assert.False(await poison.ExistsAsync() && (await poison.PeekMessagesAsync(32)).Value.Length > 0, "a retired program's event is not poisoned");
        Assert.Equal([LoyaltyEventMessages.RetiredProgramOutcome], processed.GetMeasurementSnapshot().Select(m => m.Tags["walletpasses.event.outcome"]?.ToString()));
    }

    [Fact]
    public async Task A_tier_alert_held_back_by_quiet_hours_is_dropped_when_its_program_is_retired_meanwhile()
    {
        await using var factory = await TwoPrograms.StartAsync(new Dictionary<string, string?>
        {
            ["WalletPasses:Notifications:Programs:second:QuietHoursStart"] = "10:00",
            ["WalletPasses:Notifications:Programs:second:QuietHoursEnd"] = "14:00",
        });
        factory.Time.SetUtcNow(new DateTimeOffset(factory.Time.GetUtcNow().UtcDateTime.Date.AddDays(1).AddHours(12), TimeSpan.Zero)); // noon UTC, the members' zone
        using var backend = factory.CreateBackendClient();
        var both = await TwoPrograms.InstallBothAsync(factory, backend);
        var storageId = TwoPrograms.SecondProgram + "|" + both.MemberId;
        var phone = new SimulatedDevice(factory);
        Assert.Equal(HttpStatusCode.Created, (await phone.RegisterAsync(both.SecondPass)).StatusCode);

        // gold to platinum at noon, inside the second program's quiet hours: the pass changes silently and the alert
        // waits for 14:00 (README "Notifications"). The operator retires the brand before then.
        Assert.Equal(HttpStatusCode.OK, (await TwoPrograms.PutMemberAsync(backend, $"/api/programs/second/members/{both.MemberId}", "Second Sam", 700, "platinum")).StatusCode);
        var deferredAlerts = factory.Services.GetRequiredService<DeferredAlerts>();
        var members = factory.Services.GetRequiredService<StorageClients>().Members;
        var before = (await members.GetEntityAsync<MemberEntity>(storageId, MemberEntity.RowKeyValue)).Value;
        Assert.Equal("platinum", EventState.Parse(before.EventStateJson).Deferred?.Tier);
        Assert.Equal(HttpStatusCode.OK, (await backend.PostAsync(RetireRoute(TwoPrograms.SecondProgram), null)).StatusCode);
        var pushesBefore = SharedApns.Emulator.Pushes.Count(push => push.PushToken == phone.PushToken);

        factory.Time.Advance(TimeSpan.FromHours(2.5));
        await factory.Services.GetRequiredService<DeferredAlertsJob>().RunOnceAsync(CancellationToken.None);

        // No new version of a retired brand's pass, no push to the phone, and nothing left due to try again.
        var after = (await members.GetEntityAsync<MemberEntity>(storageId, MemberEntity.RowKeyValue)).Value;
        Assert.Equal(before.PassVersion, after.PassVersion);
        Assert.Null(after.Announcement);
        Assert.Equal(pushesBefore, SharedApns.Emulator.Pushes.Count(push => push.PushToken == phone.PushToken));
        Assert.DoesNotContain(await deferredAlerts.DueAsync(100, CancellationToken.None), due => due.PartitionKey == storageId);
    }

    private const string SecondBrandKey = "second-brand-backend-key-0001";

    /// <summary>Writes to Google of the second program's class or its member's object (the object id ends with the pass's serial number).</summary>
    private static int SecondProgramWrites(GoogleWalletFake google, TwoProgramPasses both) =>
        google.ApiRequests.Count(request => request.Method != "GET"
            && (request.Path.Contains(both.SecondPass.SerialNumber, StringComparison.Ordinal) || request.Path.Contains("walletpasses-" + TwoPrograms.SecondProgram, StringComparison.Ordinal)));

    private static Uri RetireRoute(string programId) => new($"/api/programs/{programId}/retire", UriKind.Relative);
}
