using System.Net;
using Microsoft.AspNetCore.Http;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Hosting;

/// <summary>
/// HSTS (RFC 6797 section 7.2: the header is sent only over secure transport) outside Development, and
/// <c>X-Forwarded-Proto</c> believed only from configured proxies (ASP.NET Core's ForwardedHeadersMiddleware).
/// </summary>
public sealed class TransportSecurityTests(BehindProxyFixture app) : IClassFixture<BehindProxyFixture>
{
    [Fact]
    public async Task An_HTTPS_answer_outside_Development_carries_Strict_Transport_Security()
    {
        using var client = app.Factory.CreateBackendClient(); // https://wallet.test

        var response = await client.GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("max-age=31536000", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
    }

    [Theory]
    [InlineData(BehindProxyFixture.Proxy, true)]
    [InlineData("203.0.113.7", false)]
    public async Task Behind_a_proxy_X_Forwarded_Proto_counts_only_from_a_configured_proxy(string remoteAddress, bool trusted)
    {
        var context = await app.Factory.Server.SendAsync(http =>
        {
            http.Request.Method = HttpMethods.Get;
            http.Request.Scheme = "http";
            http.Request.Host = new HostString("wallet.test");
            http.Request.Path = "/api/health";
            http.Request.Headers["X-Forwarded-Proto"] = "https";
            http.Request.Headers["X-Forwarded-For"] = "198.51.100.9";
            http.Connection.RemoteIpAddress = IPAddress.Parse(remoteAddress);
        });

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Equal(trusted, context.Response.Headers.StrictTransportSecurity.Count > 0);
    }
}
