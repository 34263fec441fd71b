using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WalletPasses.Barcodes;
using WalletPasses.Tests.Publishing;

namespace WalletPasses.Tests.Programs;

/// <summary>
/// A WP2 barcode names its program only by a 32-bit tag (README, "The barcode token"), and the staff page of a key
/// limited to some programs refuses other programs' passes offline by that tag alone. Two programs of one deployment
/// with the same tag would let brand A's staff device accept brand B's passes offline, so the program that would
/// take a tag already in use is refused where programs are added: the draft upload of a new program id.
/// </summary>
public sealed class ProgramTagCollisionTests
{
    // Two program ids whose SHA-256 begins with the same 4 bytes (found by a birthday search over "brand-{n}").
    private const string FirstBrand = "brand-64174";
    private const string CollidingBrand = "brand-78693";

    [Fact]
    public void The_two_brands_of_this_test_share_a_program_tag()
    {
        Assert.Equal(BarcodeTokens.ProgramTag(FirstBrand), BarcodeTokens.ProgramTag(CollidingBrand));
    }

    [Fact]
    public async Task A_new_program_whose_barcode_tag_is_taken_is_refused_with_409_naming_the_program_that_has_it()
    {
        await using var factory = await TemplateZips.StartAppAsync();
        using var backend = factory.CreateBackendClient();

        var first = await UploadDraftAsync(backend, FirstBrand);
        var colliding = await UploadDraftAsync(backend, CollidingBrand);

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, colliding.StatusCode);
        var problem = await colliding.Content.ReadFromJsonAsync<JsonElement>();
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains(FirstBrand, detail, StringComparison.Ordinal);
        Assert.Contains(CollidingBrand, detail, StringComparison.Ordinal);

        // Nothing was added: the refused id is still a program the deployment does not have, and the first one is intact.
        var refusedDraft = await backend.GetAsync(new Uri($"/api/programs/{CollidingBrand}/template/draft/impact", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, refusedDraft.StatusCode);
        Assert.Equal("Unknown program", (await refusedDraft.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.OK, (await backend.GetAsync(new Uri($"/api/programs/{FirstBrand}/template/draft/impact", UriKind.Relative))).StatusCode);

        // The program that has the tag keeps taking drafts (it is not new).
        Assert.Equal(HttpStatusCode.NoContent, (await UploadDraftAsync(backend, FirstBrand)).StatusCode);
    }

    private static async Task<HttpResponseMessage> UploadDraftAsync(HttpClient backend, string programId) =>
        await TemplateZips.UploadAsync(backend, await TemplateZips.ChangedAsync(backend, template => template["programId"] = programId), $"/api/programs/{programId}/template");
}
