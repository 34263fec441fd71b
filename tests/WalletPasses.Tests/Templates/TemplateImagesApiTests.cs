using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Templates;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Templates;

/// <summary>The template's images as public, cacheable URLs (Google Wallet fetches its images itself).</summary>
public sealed class TemplateImagesApiTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_versioned_image_url_is_cached_for_good_and_revalidates_by_etag()
    {
        var template = await app.Factory.Services.GetRequiredService<ITemplateSource>().GetCurrentAsync(default);
        var url = app.Factory.Services.GetRequiredService<TemplateImageUrls>().For("default", template, "hero.png")!;
        var client = app.Factory.CreateClient();

        var versioned = await client.GetAsync(url.PathAndQuery);
        var unversioned = await client.GetAsync(url.AbsolutePath);
        using var revalidation = new HttpRequestMessage(HttpMethod.Get, url.PathAndQuery);
        revalidation.Headers.IfNoneMatch.Add(versioned.Headers.ETag!);

        Assert.StartsWith(WalletPassesFactory.PublicBaseUrl + "/api/templates/default/images/hero.png?v=", url.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, versioned.StatusCode);
        Assert.Equal("image/png", versioned.Content.Headers.ContentType?.MediaType);
        Assert.Equal(template.Images["hero.png"], await versioned.Content.ReadAsByteArrayAsync());
        Assert.True(versioned.Headers.CacheControl!.Public);
        Assert.Equal(TimeSpan.FromDays(365), versioned.Headers.CacheControl.MaxAge);
        Assert.Equal(TimeSpan.FromMinutes(5), unversioned.Headers.CacheControl!.MaxAge);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(revalidation)).StatusCode);
    }

    [Theory]
    [InlineData("/api/templates/default/images/nope.png")]
    [InlineData("/api/templates/default/images/template.json")]
    [InlineData("/api/templates/other-program/images/hero.png")]
    [InlineData("/api/templates/default/images/..%2Ftemplate.json")]
    public async Task Anything_else_is_404_problem_details(string path)
    {
        var response = await app.Factory.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
