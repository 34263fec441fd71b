using System.Net;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Apple;

/// <summary>
/// The device's credential on every PassKit call: <c>Authorization: ApplePass {authenticationToken}</c>, the token the
/// pass carries (Apple's "Send an Updated Pass", https://developer.apple.com/documentation/walletpasses/send-an-updated-pass,
/// and pass.json's authenticationToken, https://developer.apple.com/documentation/walletpasses/pass). The check compares
/// the token in place, without copying or hashing it: exactly the pass's token passes, nothing near it does.
/// </summary>
public sealed class DeviceTokenCheckTests(AppFixture app) : IClassFixture<AppFixture>
{
    private WalletPassesFactory Factory => app.Factory;

    [Fact]
    public async Task The_pass_token_is_accepted_whatever_the_scheme_case_and_the_spaces_around_it()
    {
        var pass = await InstalledPass.IssueAsync(Factory);
        var device = new SimulatedDevice(Factory);

        foreach (var authorization in new[] { $"ApplePass {pass.AuthenticationToken}", $"applepass {pass.AuthenticationToken}", $"ApplePass   {pass.AuthenticationToken}  ", $"AndroidPass {pass.AuthenticationToken}" })
        {
            Assert.Equal(HttpStatusCode.OK, (await device.SendAsync(HttpMethod.Get, pass, PassPath(pass), authorization)).StatusCode);
        }
    }

    [Fact]
    public async Task A_token_that_differs_from_the_pass_token_in_any_way_is_refused()
    {
        var pass = await InstalledPass.IssueAsync(Factory);
        var token = pass.AuthenticationToken;
        var lastChanged = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');
        var device = new SimulatedDevice(Factory);

        foreach (var authorization in new[]
        {
            $"ApplePass {lastChanged}", $"ApplePass {token[..^1]}", $"ApplePass {token}x", $"ApplePass {token.ToUpperInvariant()}",
            $"ApplePass {token} {token}", $"Bearer {token}", $"ApplePass{token}", "ApplePass ", token,
        })
        {
            var refused = await device.SendAsync(HttpMethod.Get, pass, PassPath(pass), authorization);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("ApplePass", refused.Headers.WwwAuthenticate.ToString());
        }
    }

    private static string PassPath(InstalledPass pass) => $"/v1/passes/{pass.PassTypeIdentifier}/{pass.SerialNumber}";
}
