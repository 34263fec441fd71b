using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Barcodes;
using WalletPasses.Tests.Infrastructure;
using WalletPasses.Tests.Publishing;

namespace WalletPasses.Tests.Programs;

/// <summary>
/// Two programs holding a member of the same id: loyalty events name their program (<c>programId</c>, absent: the
/// default program) and reach only that program's member; staff keys limited to a program see only its passes.
/// Over Azurite and the real HTTP stack, events through the API and straight on the queue as a backend may put them.
/// </summary>
public sealed class ProgramEventsAndStaffTests
{
    private static readonly string[] SecondOnly = ["second"];
    private static readonly string[] NoSuchProgram = ["nosuch"];

    private static Dictionary<string, string?> Settings()
    {
        var settings = TwoPrograms.Settings();
        settings["WalletPasses:Events:VisibilityTimeout"] = "00:00:01";
        settings["WalletPasses:Events:MaxIdleDelay"] = "00:00:00.200";
        return settings;
    }

    private static string PointsEvent(string memberId, long sequence, long points, string? programId) =>
        $$"""{"eventId": "evt-{{Guid.NewGuid():N}}", "memberId": "{{memberId}}", "sequence": {{sequence}}, "occurredAt": "2026-11-23T10:00:00Z", "type": "points.changed", "points": {{points}}{{(programId is null ? "" : $", \"programId\": \"{programId}\"")}}}""";

    private static async Task<long> PointsAsync(HttpClient backend, string route) =>
        (await backend.GetFromJsonAsync<JsonElement>(route)).GetProperty("points").GetInt64();

    [Fact]
    public async Task An_event_reaches_only_the_member_of_its_program_and_an_unknown_program_is_rejected_not_lost()
    {
        await using var factory = await TemplateZips.StartAppAsync(Settings());
        using var backend = factory.CreateBackendClient();
        await TwoPrograms.AddSecondProgramAsync(backend);
        var memberId = TestMembers.NewId();
        await TwoPrograms.PutMemberAsync(backend, $"/api/members/{memberId}", "Default Dana", 100);
        await TwoPrograms.PutMemberAsync(backend, $"/api/programs/second/members/{memberId}", "Second Sam", 700);

        Assert.Equal(HttpStatusCode.Accepted, (await backend.PostAsync("/api/loyalty-events", TestMembers.Json(PointsEvent(memberId, 1, 777, "second")))).StatusCode);
        await Eventually.HoldsAsync(async () => await PointsAsync(backend, $"/api/programs/second/members/{memberId}") == 777, "the second program's member gets the event");
        Assert.Equal(100, await PointsAsync(backend, $"/api/members/{memberId}"));

        // No programId: the default program's member.
        Assert.Equal(HttpStatusCode.Accepted, (await backend.PostAsync("/api/loyalty-events", TestMembers.Json(PointsEvent(memberId, 1, 111, programId: null)))).StatusCode);
        await Eventually.HoldsAsync(async () => await PointsAsync(backend, $"/api/members/{memberId}") == 111, "the default program's member gets the event");
        Assert.Equal(777, await PointsAsync(backend, $"/api/programs/second/members/{memberId}"));

        // An unknown program: the API refuses the request, naming the field.
        var refused = await backend.PostAsync("/api/loyalty-events", TestMembers.Json(PointsEvent(memberId, 2, 5, "nosuch")));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("programId", out _));

        // Straight on the queue: set aside on the poison queue (kept for the operator), no member touched.
        var queue = new QueueClient(factory.Settings["AzureWebJobsStorage"], factory.StoragePrefix + "loyalty-events", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var poison = new QueueClient(factory.Settings["AzureWebJobsStorage"], factory.StoragePrefix + "loyalty-events-poison", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var queued = PointsEvent(memberId, 3, 5, "nosuch");
        await queue.SendMessageAsync(queued);
        await Eventually.HoldsAsync(
            async () => (await poison.PeekMessagesAsync(32)).Value.Any(m => m.MessageText == queued),
            "the event of an unknown program reaches the poison queue",
            within: TimeSpan.FromSeconds(45));
        Assert.Equal(111, await PointsAsync(backend, $"/api/members/{memberId}"));
        Assert.Equal(777, await PointsAsync(backend, $"/api/programs/second/members/{memberId}"));
    }

    [Fact]
    public async Task A_staff_key_limited_to_one_program_cannot_validate_or_see_a_member_of_the_other()
    {
        await using var factory = await TemplateZips.StartAppAsync(TwoPrograms.Settings());
        using var backend = factory.CreateBackendClient();
        await TwoPrograms.AddSecondProgramAsync(backend);
        var (_, defaultBarcode, secondBarcode) = await TwoPrograms.SameMemberInBothAsync(factory, backend);

        var created = await backend.PostAsync("/api/staff-keys", JsonContent.Create(new { name = "second-only", programs = SecondOnly }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var secondStaff = factory.CreateClientWithKey((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!);
        using var everyProgram = factory.CreateStaffClient();

        var seen = await StaffTesting.ValidateOkAsync(secondStaff, secondBarcode);
        Assert.True(seen.GetProperty("valid").GetBoolean());
        Assert.Equal("Second S.", seen.GetProperty("member").GetProperty("displayName").GetString());

        // The other program's pass: the answer of a pass that does not exist, nothing about its member.
        var hidden = await StaffTesting.ValidateOkAsync(secondStaff, defaultBarcode);
        Assert.False(hidden.GetProperty("valid").GetBoolean());
        Assert.Equal("unknown", hidden.GetProperty("reason").GetString());
        Assert.True(!hidden.TryGetProperty("member", out var member) || member.ValueKind == JsonValueKind.Null);
        Assert.DoesNotContain("Dana", hidden.GetRawText(), StringComparison.Ordinal);

        // A key of every program sees both members (staff see the last name as an initial).
        Assert.Equal("Default D.", (await StaffTesting.ValidateOkAsync(everyProgram, defaultBarcode)).GetProperty("member").GetProperty("displayName").GetString());
        Assert.Equal("Second S.", (await StaffTesting.ValidateOkAsync(everyProgram, secondBarcode)).GetProperty("member").GetProperty("displayName").GetString());

        // A key cannot be limited to a program the deployment does not have.
        Assert.Equal(HttpStatusCode.BadRequest, (await backend.PostAsync("/api/staff-keys", JsonContent.Create(new { name = "nowhere", programs = NoSuchProgram }))).StatusCode);
    }

    [Fact]
    public async Task A_staff_key_limited_to_one_program_syncs_only_that_program_s_voided_passes()
    {
        await using var factory = await TemplateZips.StartAppAsync(TwoPrograms.Settings());
        using var backend = factory.CreateBackendClient();
        await TwoPrograms.AddSecondProgramAsync(backend);
        var (memberId, defaultBarcode, secondBarcode) = await TwoPrograms.SameMemberInBothAsync(factory, backend);
        var tokens = factory.Services.GetRequiredService<BarcodeTokens>();
        var defaultSerial = tokens.Verify(defaultBarcode).SerialNumber!;
        var secondSerial = tokens.Verify(secondBarcode).SerialNumber!;
        Assert.Equal(HttpStatusCode.NoContent, (await backend.DeleteAsync($"/api/members/{memberId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await backend.DeleteAsync($"/api/programs/second/members/{memberId}")).StatusCode);

        var created = await backend.PostAsync("/api/staff-keys", JsonContent.Create(new { name = "second-voided", programs = SecondOnly }));
        using var secondStaff = factory.CreateClientWithKey((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!);
        using var everyProgram = factory.CreateStaffClient();

        Assert.Equal([secondSerial], await VoidedAsync(secondStaff));
        Assert.Equal(new[] { defaultSerial, secondSerial }.Order(), (await VoidedAsync(everyProgram)).Order());
    }

    /// <summary>Every voided serial the key gets, page by page as the staff page syncs them.</summary>
    private static async Task<List<string>> VoidedAsync(HttpClient staff)
    {
        var serials = new List<string>();
        var after = "";
        while (true)
        {
            var page = await staff.GetFromJsonAsync<JsonElement>($"/api/staff/voided?after={Uri.EscapeDataString(after)}");
            serials.AddRange(page.GetProperty("serials").EnumerateArray().Select(serial => serial.GetString()!));
            var next = page.GetProperty("next").GetString()!;
            if (next == after)
            {
                return serials;
            }

            after = next;
        }
    }
}
