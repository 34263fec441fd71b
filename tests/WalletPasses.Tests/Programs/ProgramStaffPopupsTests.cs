using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WalletPasses.Tests.Infrastructure;
using WalletPasses.Tests.Popups;
using WalletPasses.Tests.Publishing;

namespace WalletPasses.Tests.Programs;

/// <summary>
/// Issue 14 (staff keys limited to programs) with pop-ups per program: the staff page's pop-up list
/// (<c>GET /api/staff/popups</c>) and the pop-up a scan names are those of the programs the staff key works in,
/// not only the default program's. Over Azurite and the real HTTP stack.
/// </summary>
public sealed class ProgramStaffPopupsTests
{
    [Fact]
    public async Task Staff_see_and_scan_at_the_pop_ups_of_the_programs_their_key_works_in_and_the_key_list_names_those_programs()
    {
        await using var factory = await TemplateZips.StartAppAsync(TwoPrograms.Settings());
        using var backend = factory.CreateBackendClient();
        await TwoPrograms.AddSecondProgramAsync(backend);
        var (_, _, secondBarcode) = await TwoPrograms.SameMemberInBothAsync(factory, backend);
        var created = await backend.PostAsync("/api/programs/second/popups", TestMembers.Json(PopupApp.PopupJson(factory.Time.GetUtcNow().AddHours(-1), name: "Second pop-up")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var popupId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        using var everyProgram = factory.CreateStaffClient();
        using var defaultOnly = await KeyForAsync(factory, backend, "default-only", "default");
        var listedKey = (await backend.GetFromJsonAsync<JsonElement>("/api/staff-keys")).GetProperty("keys").EnumerateArray().Single(key => key.GetProperty("name").GetString() == "default-only");
        Assert.Equal(["default"], listedKey.GetProperty("programs").EnumerateArray().Select(program => program.GetString()));
        // What the staff page learns of its key's programs, to refuse other programs' barcodes offline.
        Assert.Equal(["default"], (await defaultOnly.GetFromJsonAsync<JsonElement>("/api/staff/me")).GetProperty("programs").EnumerateArray().Select(program => program.GetString()));
        Assert.False((await everyProgram.GetFromJsonAsync<JsonElement>("/api/staff/me")).TryGetProperty("programs", out _));

        var listed = Assert.Single((await everyProgram.GetFromJsonAsync<JsonElement>("/api/staff/popups")).GetProperty("popups").EnumerateArray());
        Assert.Equal(popupId, listed.GetProperty("id").GetString());
        Assert.Equal(TwoPrograms.SecondProgram, listed.GetProperty("programId").GetString());
        Assert.Equal(HttpStatusCode.OK, (await everyProgram.PostAsync("/api/validations", TestMembers.Json($$"""{"barcode": "{{secondBarcode}}", "popupId": "{{popupId}}"}"""))).StatusCode);

        // A key of the default program only neither sees the second program's pop-up nor may name it.
        Assert.Empty((await defaultOnly.GetFromJsonAsync<JsonElement>("/api/staff/popups")).GetProperty("popups").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await defaultOnly.PostAsync("/api/validations", TestMembers.Json($$"""{"barcode": "{{secondBarcode}}", "popupId": "{{popupId}}"}"""))).StatusCode);
    }

    private static async Task<HttpClient> KeyForAsync(WalletPassesFactory factory, HttpClient backend, string name, string programId)
    {
        var created = await backend.PostAsync("/api/staff-keys", JsonContent.Create(new { name, programs = new[] { programId } }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return factory.CreateClientWithKey((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!);
    }
}
