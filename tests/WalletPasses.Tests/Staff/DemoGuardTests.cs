using System.Net;
using Microsoft.AspNetCore.Http;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Staff;

public sealed class DemoGuardTests(DevelopmentFixture app) : IClassFixture<DevelopmentFixture>
{
    [Theory]
    [InlineData("127.0.0.1", HttpStatusCode.OK)]
    [InlineData("::1", HttpStatusCode.OK)]
    [InlineData("::ffff:127.0.0.1", HttpStatusCode.OK)]
    [InlineData("192.168.1.30", HttpStatusCode.NotFound)]
    [InlineData("203.0.113.7", HttpStatusCode.NotFound)]
    public async Task Even_in_development_the_demo_answers_only_this_computer(string client, HttpStatusCode status)
    {
        foreach (var (method, path) in new[] { ("GET", "/api/demo"), ("GET", "/api/demo/demo.js"), ("POST", "/api/demo/members") })
        {
            var response = await SendAsync(method, path, client, "localhost:7071", method == "POST" ? "application/json" : null);

            var expected = status == HttpStatusCode.OK && method == "POST" ? HttpStatusCode.Created : status;
            Assert.Equal((int)expected, response.StatusCode);
        }
    }

    // DNS rebinding: a hostile page points its own name at 127.0.0.1; the browser then sends that name as Host.
    [Theory]
    [InlineData("localhost:7071", HttpStatusCode.Created)]
    [InlineData("127.0.0.1:7071", HttpStatusCode.Created)]
    [InlineData("[::1]:7071", HttpStatusCode.Created)]
    [InlineData("attacker.example:7071", HttpStatusCode.NotFound)]
    [InlineData("localhost.attacker.example", HttpStatusCode.NotFound)]
    [InlineData("127.0.0.1.nip.io:7071", HttpStatusCode.NotFound)]
    public async Task The_demo_answers_only_under_its_own_loopback_host_names(string host, HttpStatusCode status)
    {
        var response = await SendAsync("POST", "/api/demo/members", "127.0.0.1", host, "application/json");

        Assert.Equal((int)status, response.StatusCode);
    }

    // A page on another origin can POST without a CORS preflight only as a "simple" request: no Content-Type,
    // or text/plain, application/x-www-form-urlencoded or multipart/form-data, parameters allowed
    // (Fetch standard, "CORS-safelisted request-header").
    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    [InlineData("text/plain; x=+json")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    public async Task The_demo_refuses_posts_a_cross_origin_page_could_send_without_a_preflight(string? contentType)
    {
        foreach (var path in new[] { "/api/demo/members", "/api/demo/members/demo-00000000/events" })
        {
            var response = await SendAsync("POST", path, "127.0.0.1", "localhost:7071", contentType);

            Assert.Equal(StatusCodes.Status415UnsupportedMediaType, response.StatusCode);
        }
    }

    private async Task<HttpResponse> SendAsync(string method, string path, string client, string host, string? contentType) =>
        (await app.Factory.Server.SendAsync(http =>
        {
            http.Request.Method = method;
            http.Request.Path = path;
            http.Request.Host = new HostString(host);
            http.Connection.RemoteIpAddress = IPAddress.Parse(client);
            if (contentType is not null)
            {
                http.Request.ContentType = contentType;
                http.Request.Body = new MemoryStream("{}"u8.ToArray());
            }
        })).Response;
}
