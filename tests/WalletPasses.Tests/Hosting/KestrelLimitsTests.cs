using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WalletPasses.Hosting;
using WalletPasses.Tests.Conformance;
using WalletPasses.Tests.Functions;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Hosting;

/// <summary>
/// Both hosts give Kestrel the same limits (<see cref="KestrelLimits"/>): the Functions worker's own Kestrel receives what
/// the Functions host forwards (azure-functions-dotnet-worker, the ASP.NET Core integration), so a body cap or a
/// response buffer set on the standalone host only would behave differently once deployed.
/// </summary>
public sealed class KestrelLimitsTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public void The_standalone_host_and_the_Functions_worker_give_Kestrel_the_same_limits()
    {
        var standalone = app.Factory.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;
        using var functions = FunctionsAppFixture.BuildHost(app.Factory.Settings);
        var worker = functions.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;

        foreach (var limits in new[] { standalone, worker })
        {
            Assert.Equal(KestrelLimits.MaxRequestBodyBytes, limits.MaxRequestBodySize);
            Assert.Equal(KestrelLimits.MaxResponseBufferBytes, limits.MaxResponseBufferSize);
        }
    }

    [Fact]
    public void A_whole_pass_from_the_development_template_fits_the_response_buffer_so_its_one_flush_need_not_wait_for_the_client()
    {
        var pass = PassPackages.Ours();

        // Kestrel's default (64 KB) would hold the download's flush until the client had taken all but 64 KB of the pass.
        Assert.True(pass.Length > 64 * 1024, "the development pass no longer exceeds Kestrel's default buffer: this limit may go");
        Assert.True(pass.Length <= KestrelLimits.MaxResponseBufferBytes, $"the development pass is {pass.Length / 1024} KB, more than the response buffer");
    }
}
