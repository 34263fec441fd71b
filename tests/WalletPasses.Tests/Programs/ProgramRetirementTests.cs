using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WalletPasses.Tests.Apple;
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
        await using var factory = await TemplateZips.StartAppAsync(TwoPrograms.Settings());
        using var backend = factory.CreateBackendClient();
        await TwoPrograms.AddSecondProgramAsync(backend);

        using var anonymous = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync(RetireRoute(TwoPrograms.SecondProgram), null)).StatusCode);
        using var staffKey = factory.CreateStaffClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await staffKey.PostAsync(RetireRoute(TwoPrograms.SecondProgram), null)).StatusCode);

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
        await using var factory = await TemplateZips.StartAppAsync(TwoPrograms.Settings());
        using var backend = factory.CreateBackendClient();
        await TwoPrograms.AddSecondProgramAsync(backend);
        var memberId = TestMembers.NewId();
        var (defaultPass, _) = await TwoPrograms.InstallAsync(factory, await TwoPrograms.PutMemberAsync(backend, $"/api/members/{memberId}", "Default Dana", 100), memberId);
        var (secondPass, secondPackage) = await TwoPrograms.InstallAsync(factory, await TwoPrograms.PutMemberAsync(backend, $"/api/programs/second/members/{memberId}", "Second Sam", 700), memberId);
        var secondLink = (await backend.GetFromJsonAsync<JsonElement>($"/api/programs/second/members/{memberId}")).GetProperty("apple").GetProperty("passUrl").GetString()!;
        var secondBarcode = secondPackage.PassJson.GetProperty("barcodes")[0].GetProperty("message").GetString()!;
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

    private static Uri RetireRoute(string programId) => new($"/api/programs/{programId}/retire", UriKind.Relative);
}
