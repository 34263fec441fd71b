using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NSubstitute;
using WalletPasses.Security;
using WalletPasses.Tests.Infrastructure;
using WalletPasses.Tests.Popups;
using WalletPasses.Tests.Publishing;

namespace WalletPasses.Tests.Programs;

/// <summary>
/// One deployment, two brands, each with its own backend: a backend key limited to its brand's program
/// (<c>WalletPasses:ApiKeys:BackendPrograms:{name}</c>) reaches nothing of the other brand through any backend route,
/// by the other brand's identifiers included (the same member id, its pop-up and publication ids, its staff keys),
/// and is answered exactly as for a program the deployment does not have. Over Azurite and the real HTTP stack.
/// </summary>
public sealed class ProgramBackendKeyTests
{
    private const string SecondBackendKey = "second-brand-backend-key-0001";
    private static readonly string[] SecondOnly = [TwoPrograms.SecondProgram];
    private static readonly string[] DefaultOnly = ["default"];

    private static Dictionary<string, string?> Settings()
    {
        var settings = TwoPrograms.Settings();
        settings["WalletPasses:ApiKeys:Backend:second-brand"] = SecondBackendKey;
        settings["WalletPasses:ApiKeys:BackendPrograms:second-brand:0"] = TwoPrograms.SecondProgram;
        return settings;
    }

    [Fact]
    public async Task A_backend_key_limited_to_one_program_reaches_nothing_of_the_other_program()
    {
        await using var factory = await TemplateZips.StartAppAsync(Settings());
        using var backend = factory.CreateBackendClient();
        using var second = factory.CreateClientWithKey(SecondBackendKey);
        await TwoPrograms.AddSecondProgramAsync(backend);
        var (memberId, _, _) = await TwoPrograms.SameMemberInBothAsync(factory, backend);
        var popup = await backend.PostAsync("/api/popups", TestMembers.Json(PopupApp.PopupJson(factory.Time.GetUtcNow().AddHours(-1), name: "Default pop-up")));
        var popupId = (await popup.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var defaultStaff = await backend.PostAsync("/api/staff-keys", JsonContent.Create(new { name = "default-till", programs = DefaultOnly }));
        Assert.Equal(HttpStatusCode.Created, defaultStaff.StatusCode);

        // Its own program: everything works.
        Assert.Equal("Second Sam", (await second.GetFromJsonAsync<JsonElement>($"/api/programs/second/members/{memberId}")).GetProperty("displayName").GetString());
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/api/programs/second/popups")).StatusCode);
        var ownStaff = await second.PostAsync("/api/staff-keys", JsonContent.Create(new { name = "second-till", programs = SecondOnly }));
        Assert.Equal(HttpStatusCode.Created, ownStaff.StatusCode);

        // The other program, by its routes and by the identifiers it uses: 404 "Unknown program", as for no program.
        foreach (var (method, route) in new[]
        {
            ("GET", $"/api/members/{memberId}"), ("GET", $"/api/programs/default/members/{memberId}"),
            ("PUT", $"/api/members/{memberId}"), ("DELETE", $"/api/members/{memberId}"),
            ("GET", $"/api/members/{memberId}/delivery"), ("POST", $"/api/members/{memberId}/apple-pass/revoke-token"),
            ("GET", "/api/popups"), ("GET", $"/api/popups/{popupId}"), ("PUT", $"/api/programs/default/popups/{popupId}"),
            ("DELETE", $"/api/popups/{popupId}"), ("POST", "/api/popups"),
            ("GET", "/api/programs/default/template"), ("PUT", "/api/programs/default/template"),
            ("GET", "/api/programs/default/template/draft/impact"), ("POST", "/api/programs/default/template/publish"),
            ("GET", "/api/programs/default/template/draft/report"), ("GET", "/api/programs/default/template/draft/preview"),
            ("GET", "/api/programs/default/template/publications/0123456789abcdef"),
            ("PUT", "/api/programs/third/template"),
        })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), route);
            if (method is "PUT" or "POST")
            {
                request.Content = TestMembers.Json("""{"displayName": "Mallory", "points": 1, "tier": "gold"}""");
            }

            var answer = await second.SendAsync(request);
            Assert.True(answer.StatusCode == HttpStatusCode.NotFound, $"{method} {route}: {answer.StatusCode}");
            Assert.Equal("Unknown program", (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        }

        Assert.Equal("Default Dana", (await backend.GetFromJsonAsync<JsonElement>($"/api/members/{memberId}")).GetProperty("displayName").GetString());
        Assert.Equal(HttpStatusCode.OK, (await backend.GetAsync($"/api/popups/{popupId}")).StatusCode);

        // Events for the other program (named or by default) are refused as for a program the deployment does not have.
        foreach (var programField in new[] { "", ", \"programId\": \"default\"" })
        {
            var refused = await second.PostAsync("/api/loyalty-events", TestMembers.Json(
                $$"""{"eventId": "evt-{{Guid.NewGuid():N}}", "memberId": "{{memberId}}", "sequence": 1, "occurredAt": "2026-11-23T10:00:00Z", "type": "points.changed", "points": 5{{programField}}}"""));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("programId", out _));
        }

        // Staff keys: none for the other program or for every program, none of the other's listed or revocable.
        Assert.Equal(HttpStatusCode.BadRequest, (await second.PostAsync("/api/staff-keys", JsonContent.Create(new { name = "sneaky-all" }))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await second.PostAsync("/api/staff-keys", JsonContent.Create(new { name = "sneaky-default", programs = DefaultOnly }))).StatusCode);
        var listed = (await second.GetFromJsonAsync<JsonElement>("/api/staff-keys")).GetProperty("keys").EnumerateArray().Select(key => key.GetProperty("name").GetString()).ToList();
        Assert.Equal(["second-till"], listed);
        Assert.Equal(HttpStatusCode.NotFound, (await second.DeleteAsync("/api/staff-keys/default-till")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await second.DeleteAsync("/api/staff-keys/tests")).StatusCode);
        var defaultTill = (await backend.GetFromJsonAsync<JsonElement>("/api/staff-keys")).GetProperty("keys").EnumerateArray()
            .Single(key => key.GetProperty("name").GetString() == "default-till");
        Assert.False(defaultTill.TryGetProperty("revokedAt", out _)); // still in force
        Assert.Equal(HttpStatusCode.NoContent, (await second.DeleteAsync("/api/staff-keys/second-till")).StatusCode);
    }

    [Fact]
    public void A_backend_key_limited_to_programs_must_name_a_configured_backend_key_and_valid_program_ids()
    {
        var options = new ApiKeyOptions();
        options.Backend["brand-b"] = SecondBackendKey;
        options.BackendPrograms["Brand-B"] = ["second"]; // configuration names are case-insensitive
        Assert.True(Validate(options).Succeeded);

        options.BackendPrograms["brand-c"] = ["third"];
        options.BackendPrograms["Brand-B"] = ["no/such"];
        var failed = Validate(options);
        Assert.True(failed.Failed);
        Assert.Contains("WalletPasses:ApiKeys:BackendPrograms:brand-c", failed.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("WalletPasses:ApiKeys:BackendPrograms:Brand-B", failed.FailureMessage, StringComparison.Ordinal);

        options.BackendPrograms.Remove("brand-c");
        options.BackendPrograms["Brand-B"] = [];
        Assert.True(Validate(options).Failed);

        // A reserved id is refused saying why, not as if it were malformed (it is 1 to 64 letters).
        options.BackendPrograms["Brand-B"] = ["second", "drafts"];
        Assert.Contains("'drafts' names a folder of the templates container", Validate(options).FailureMessage, StringComparison.Ordinal);
    }

    private static ValidateOptionsResult Validate(ApiKeyOptions options)
    {
        var environment = Substitute.For<IHostEnvironment>();
        environment.EnvironmentName.Returns(Environments.Development);
        return new ApiKeyOptionsValidator(environment).Validate(null, options);
    }
}
