using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Storage;
using WalletPasses.Templates;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Conformance;

/// <summary>
/// The draft report and preview over Azurite and HTTP: a draft uploaded as blobs under <c>drafts/{programId}/</c> is
/// checked for every tier × language, and drawn for one.
/// </summary>
public sealed class TemplateDraftApiTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string ReportUrl = "/api/programs/default/template/draft/report";
    private const string PreviewUrl = "/api/programs/default/template/draft/preview";

    [Fact]
    public async Task The_default_template_as_a_draft_is_publishable()
    {
        await UploadDraftAsync(DefaultTemplateJson(), DefaultTemplate.Images());

        var report = await app.Factory.CreateBackendClient().GetFromJsonAsync<JsonElement>(ReportUrl);

        Assert.True(report.GetProperty("publishable").GetBoolean());
        Assert.Equal(0, report.GetProperty("errors").GetInt32());
        Assert.Equal("default", report.GetProperty("programId").GetString());
        Assert.False(string.IsNullOrEmpty(report.GetProperty("draftVersion").GetString()));
    }

    [Fact]
    public async Task A_broken_draft_is_not_publishable_and_each_problem_has_its_path_and_fix()
    {
        var images = new Dictionary<string, byte[]>(DefaultTemplate.Images());
        images.Remove("logo@2x.png");
        var json = Encoding.UTF8.GetString(DefaultTemplateJson()).Replace("Sie haben jetzt %@ Punkte", "Punkte geändert", StringComparison.Ordinal);
        await UploadDraftAsync(Encoding.UTF8.GetBytes(json), images);

        var report = await app.Factory.CreateBackendClient().GetFromJsonAsync<JsonElement>(ReportUrl);

        Assert.False(report.GetProperty("publishable").GetBoolean());
        var errors = report.GetProperty("problems").EnumerateArray().Where(p => p.GetProperty("severity").GetString() == "error").ToArray();
        Assert.Equal(["images/logo@2x.png", "languages.de.strings.change.points"], errors.Select(p => p.GetProperty("path").GetString()).Order(StringComparer.Ordinal));
        Assert.All(errors, p => Assert.False(string.IsNullOrEmpty(p.GetProperty("fix").GetString())));
    }

    [Fact]
    public async Task A_draft_that_is_not_json_is_reported_not_a_500()
    {
        await UploadDraftAsync("{ not json"u8.ToArray(), DefaultTemplate.Images());
        var client = app.Factory.CreateBackendClient();

        var report = await client.GetFromJsonAsync<JsonElement>(ReportUrl);
        var preview = await client.GetAsync(PreviewUrl);

        Assert.Equal("template.json", report.GetProperty("problems")[0].GetProperty("path").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, preview.StatusCode);
        Assert.Equal("application/problem+json", preview.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_preview_shows_the_tiers_pass_json_in_the_language_with_an_html_rendering()
    {
        await UploadDraftAsync(DefaultTemplateJson(), DefaultTemplate.Images());
        var client = app.Factory.CreateBackendClient();

        var preview = await client.GetFromJsonAsync<JsonElement>(PreviewUrl + "?tier=gold&language=de");
        var page = await client.GetAsync(PreviewUrl + "?tier=platinum&language=en&format=html");

        Assert.Equal("gold", preview.GetProperty("tier").GetString());
        Assert.Equal("rgb(30, 57, 50)", preview.GetProperty("passJson").GetProperty("backgroundColor").GetString());
        Assert.Equal("tier.gold", preview.GetProperty("passJson").GetProperty("storeCard").GetProperty("headerFields")[0].GetProperty("value").GetString());
        Assert.False(preview.GetProperty("passJson").TryGetProperty("authenticationToken", out _));
        Assert.Equal("Punkte", preview.GetProperty("strings").GetProperty("label.points").GetString());
        var html = preview.GetProperty("html").GetString()!;
        Assert.Contains(">Punkte<", html, StringComparison.Ordinal);
        Assert.Contains(">Gold<", html, StringComparison.Ordinal);
        Assert.Contains("data:image/png;base64,", html, StringComparison.Ordinal);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains(">Platinum<", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    // The development template opts into the poster (iOS 27): the preview draws it above the store card older iOS shows.
    [Fact]
    public async Task The_preview_of_a_poster_template_draws_the_poster_and_the_store_card()
    {
        await UploadDraftAsync(DefaultTemplateJson(), DefaultTemplate.Images());

        var html = await (await app.Factory.CreateBackendClient().GetAsync(PreviewUrl + "?tier=gold&language=en&format=html")).Content.ReadAsStringAsync();

        Assert.Contains("<h2>iOS and watchOS 27: poster</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<h2>Earlier iOS: store card</h2>", html, StringComparison.Ordinal);
        Assert.Contains("class=\"artwork\" src=\"data:image/png;base64,", html, StringComparison.Ordinal);
        Assert.Contains("membershipBenefits: https://northwind.example/rewards/perks", html, StringComparison.Ordinal);
        Assert.Contains("<div class=\"title\">Jane Doe</div>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?tier=diamond", "tier")]
    [InlineData("?language=fr", "language")]
    [InlineData("?format=pdf", "format")]
    public async Task A_tier_or_language_the_draft_lacks_is_a_400_naming_the_parameter(string query, string parameter)
    {
        await UploadDraftAsync(DefaultTemplateJson(), DefaultTemplate.Images());

        var response = await app.Factory.CreateBackendClient().GetAsync(PreviewUrl + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _));
    }

    [Fact]
    public async Task Another_program_is_404_and_the_routes_need_the_backend_key()
    {
        await UploadDraftAsync(DefaultTemplateJson(), DefaultTemplate.Images());

        var otherProgram = await app.Factory.CreateBackendClient().GetAsync("/api/programs/other/template/draft/report");
        var staff = await app.Factory.CreateStaffClient().GetAsync(ReportUrl);
        var anonymous = await app.Factory.CreateClient().GetAsync(PreviewUrl);

        Assert.Equal(HttpStatusCode.NotFound, otherProgram.StatusCode);
        Assert.Equal("application/problem+json", otherProgram.Content.Headers.ContentType?.MediaType);
        Assert.Contains(staff.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Without_a_draft_the_report_is_404()
    {
        await DeleteDraftAsync();

        var response = await app.Factory.CreateBackendClient().GetAsync(ReportUrl);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static byte[] DefaultTemplateJson() => DefaultTemplate.Files().Single(f => f.Name == DefaultTemplate.TemplateFileName).Content;

    /// <summary>Writes a draft in the layout <see cref="BlobTemplateDraftSource"/> reads (the publish API writes the same).</summary>
    private async Task UploadDraftAsync(byte[] templateJson, IReadOnlyDictionary<string, byte[]> images)
    {
        await DeleteDraftAsync();
        var container = app.Factory.Services.GetRequiredService<StorageClients>().Templates;
        var prefix = BlobTemplateDraftSource.PrefixOf("default");
        foreach (var (name, content) in images)
        {
            await container.GetBlobClient(prefix + "images/" + name).UploadAsync(new BinaryData(content), overwrite: true);
        }

        await container.GetBlobClient(prefix + DefaultTemplate.TemplateFileName).UploadAsync(new BinaryData(templateJson), overwrite: true);
    }

    private async Task DeleteDraftAsync()
    {
        var container = app.Factory.Services.GetRequiredService<StorageClients>().Templates;
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, BlobTemplateDraftSource.PrefixOf("default"), default))
        {
            await container.DeleteBlobAsync(blob.Name);
        }
    }
}
