using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Apple;

/// <summary>
/// Whatever a device or a stranger sends, the answer is a 4xx problem and nothing is registered. Each bad request is
/// one change to the request Wallet sends: Apple's "Register a Pass for Update Notifications"
/// (https://developer.apple.com/documentation/walletpasses/register-a-pass-for-update-notifications), a POST to
/// <c>v1/devices/{deviceLibraryIdentifier}/registrations/{passTypeIdentifier}/{serialNumber}</c> with
/// <c>Authorization: ApplePass {authenticationToken}</c> and a PushToken body
/// (https://developer.apple.com/documentation/walletpasses/pushtoken: <c>{"pushToken": "…"}</c>).
/// </summary>
public sealed class PassKitBadInputTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string UnknownSerial = "0123456789abcdef0123456789abcdef";
    private static readonly string ValidPushToken = new('a', 64);

    private WalletPassesFactory Factory => app.Factory;

    public static TheoryData<string, HttpStatusCode> BadRegistrations => new()
    {
        { "wrong token", HttpStatusCode.Unauthorized },
        { "another pass's token", HttpStatusCode.Unauthorized },
        { "missing Authorization", HttpStatusCode.Unauthorized },
        { "Bearer scheme", HttpStatusCode.Unauthorized },
        { "scheme without token", HttpStatusCode.Unauthorized },
        { "unknown serial", HttpStatusCode.Unauthorized },
        { "malformed serial", HttpStatusCode.BadRequest },
        { "unknown pass type id", HttpStatusCode.NotFound },
        { "malformed device id", HttpStatusCode.BadRequest },
        { "device id too long", HttpStatusCode.BadRequest },
        { "malformed push token", HttpStatusCode.BadRequest },
        { "push token too short", HttpStatusCode.BadRequest },
        { "push token as number", HttpStatusCode.BadRequest },
        { "no push token", HttpStatusCode.BadRequest },
        { "missing body", HttpStatusCode.BadRequest },
        { "malformed JSON", HttpStatusCode.BadRequest },
        { "body too large", HttpStatusCode.RequestEntityTooLarge },
        { "not JSON", HttpStatusCode.UnsupportedMediaType },
    };

    [Theory]
    [MemberData(nameof(BadRegistrations))]
    public async Task A_bad_registration_is_a_4xx_problem_and_registers_nothing(string because, HttpStatusCode expected)
    {
        var pass = await InstalledPass.IssueAsync(Factory);
        var device = new SimulatedDevice(Factory);
        var token = pass.AuthenticationToken;
        var (deviceId, passType, serial, authorization) = (device.Id, pass.PassTypeIdentifier, pass.SerialNumber, $"ApplePass {token}");
        HttpContent? body = SimulatedDevice.JsonContent($$"""{"pushToken": "{{ValidPushToken}}"}""");
        switch (because)
        {
            case "wrong token": authorization = "ApplePass " + token[..^2] + "xx"; break;
            case "another pass's token": authorization = "ApplePass " + (await InstalledPass.IssueAsync(Factory)).AuthenticationToken; break;
            case "missing Authorization": authorization = null; break;
            case "Bearer scheme": authorization = "Bearer " + token; break;
            case "scheme without token": authorization = "ApplePass "; break;
            case "unknown serial": serial = UnknownSerial; break;
            case "malformed serial": serial = pass.SerialNumber.ToUpperInvariant(); break;
            case "unknown pass type id": passType = "pass.com.example.someone-else"; break;
            case "malformed device id": deviceId = "device~1"; break;
            case "device id too long": deviceId = new string('d', 129); break;
            case "malformed push token": body = SimulatedDevice.JsonContent($$"""{"pushToken": "{{new string('z', 64)}}"}"""); break;
            case "push token too short": body = SimulatedDevice.JsonContent($$"""{"pushToken": "{{new string('a', 63)}}"}"""); break;
            case "push token as number": body = SimulatedDevice.JsonContent("""{"pushToken": 1234}"""); break;
            case "no push token": body = SimulatedDevice.JsonContent("{}"); break;
            case "missing body": body = null; break;
            case "malformed JSON": body = SimulatedDevice.JsonContent("""{"pushToken": """); break;
            case "body too large": body = SimulatedDevice.JsonContent($$"""{"pushToken": "{{ValidPushToken}}", "padding": "{{new string('x', 5000)}}"}"""); break;
            case "not JSON": body = new StringContent(ValidPushToken, Encoding.UTF8, "text/plain"); break;
        }

        var response = await device.SendAsync(HttpMethod.Post, pass, SimulatedDevice.RegistrationPath(deviceId, passType, serial), authorization, body);

        Assert.True(response.StatusCode == expected, $"{because}: {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(token, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, (await device.ListAsync(pass)).StatusCode);
        Assert.Empty(await StoredRegistrations.ForMemberAsync(Factory, pass.MemberId));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("ApplePass not-the-token-of-this-pass-000000000")]
    [InlineData("Bearer " + WalletPassesFactory.BackendKey)]
    public async Task Without_the_pass_token_a_stranger_can_neither_fetch_the_pass_nor_unregister_its_device(string? authorization)
    {
        var pass = await InstalledPass.IssueAsync(Factory);
        var device = new SimulatedDevice(Factory);
        await device.RegisterAsync(pass);

        var fetch = await device.SendAsync(HttpMethod.Get, pass, $"/v1/passes/{pass.PassTypeIdentifier}/{pass.SerialNumber}", authorization);
        var unregister = await device.SendAsync(HttpMethod.Delete, pass, device.RegistrationPath(pass), authorization);

        Assert.Equal(HttpStatusCode.Unauthorized, fetch.StatusCode);
        Assert.Equal("application/problem+json", fetch.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, unregister.StatusCode);
        Assert.Equal([pass.SerialNumber], (await device.ListChangedAsync(pass)).SerialNumbers);
    }

    [Fact]
    public async Task An_unknown_serial_and_a_wrong_token_get_the_same_answer()
    {
        var pass = await InstalledPass.IssueAsync(Factory);
        var device = new SimulatedDevice(Factory);

        var unknownSerial = await device.SendAsync(HttpMethod.Get, pass, $"/v1/passes/{pass.PassTypeIdentifier}/{UnknownSerial}", device.Authorization(pass));
        var wrongToken = await device.SendAsync(HttpMethod.Get, pass, $"/v1/passes/{pass.PassTypeIdentifier}/{pass.SerialNumber}", "ApplePass wrong-token-0000000000000000");

        Assert.Equal(HttpStatusCode.Unauthorized, unknownSerial.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongToken.StatusCode);
        Assert.Equal(await ProblemWithoutRequestDetailsAsync(unknownSerial), await ProblemWithoutRequestDetailsAsync(wrongToken));
    }

    /// <summary>The problem's fields except those naming the request itself (its path and trace id).</summary>
    private static async Task<string> ProblemWithoutRequestDetailsAsync(HttpResponseMessage response)
    {
        var problem = await response.Content.ReadFromJsonAsync<Dictionary<string, JsonElement>>();
        return string.Join('|', problem!.Where(p => p.Key is not ("instance" or "traceId")).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
    }

    [Fact]
    public async Task Asking_for_a_pass_type_this_service_does_not_issue_is_a_404_problem()
    {
        var pass = await InstalledPass.IssueAsync(Factory);
        var device = new SimulatedDevice(Factory);
        var other = pass with { PassTypeIdentifier = "pass.com.example.someone-else" };

        var list = await device.ListAsync(other);
        var fetch = await device.FetchPassAsync(other);

        Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, fetch.StatusCode);
        Assert.Equal("application/problem+json", fetch.Content.Headers.ContentType?.MediaType);
    }
}
