using System.Net;
using WalletPasses.Tests.Integration;

namespace WalletPasses.Tests.Staff;

/// <summary>The app in the Development environment, where the demo page exists.</summary>
public sealed class DevelopmentFixture : AppFixture
{
    protected override string EnvironmentName => "Development";
}

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
            var context = await app.Factory.Server.SendAsync(http =>
            {
                http.Request.Method = method;
                http.Request.Path = path;
                http.Connection.RemoteIpAddress = IPAddress.Parse(client);
            });

            var expected = status == HttpStatusCode.OK && method == "POST" ? HttpStatusCode.Created : status;
            Assert.Equal((int)expected, context.Response.StatusCode);
        }
    }
}
