using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.Pkcs;
using System.Text.Json;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;
using WalletPasses.Tests.Publishing;

namespace WalletPasses.Tests.Programs;

/// <summary>
/// Issue 14: "Two programs side by side in tests: a member of one is invisible through the other's routes and staff
/// keys." Over Azurite, the real HTTP stack and the APNs emulator, two programs of different pass types hold a member
/// of the SAME member id. Devices speak Apple's PassKit web service (Wallet Developer Guide, "PassKit Web Service
/// Reference": /v1/devices/…/registrations/{passTypeIdentifier}/{serialNumber}, /v1/passes/{passTypeIdentifier}/{serialNumber});
/// pushes carry the pass type identifier as <c>apns-topic</c> ("Updating a pass": the topic is the pass type identifier)
/// over a TLS connection authenticated with that pass type's certificate.
/// </summary>
public sealed class ProgramIsolationTests
{
    private const string DefaultPassType = "pass.dev.walletpasses.northwind"; // the shipped default template's

    [Fact]
    public async Task A_member_of_one_program_is_invisible_through_the_other_programs_routes()
    {
        await using var factory = await TemplateZips.StartAppAsync(TwoPrograms.Settings());
        using var backend = factory.CreateBackendClient();
        await TwoPrograms.AddSecondProgramAsync(backend);
        var memberId = TestMembers.NewId();

        var inDefault = await TwoPrograms.PutMemberAsync(backend, $"/api/members/{memberId}", "Default Dana", 100);
        var inSecond = await TwoPrograms.PutMemberAsync(backend, $"/api/programs/second/members/{memberId}", "Second Sam", 700);
        Assert.Equal(HttpStatusCode.Created, inDefault.StatusCode);
        Assert.Equal(HttpStatusCode.Created, inSecond.StatusCode); // the same id is a new member in the other program
        Assert.Equal($"/api/programs/second/members/{memberId}", inSecond.Headers.Location?.OriginalString);

        // Each route sees its own program's member; the default program is also reachable by its id.
        Assert.Equal("Default Dana", (await backend.GetFromJsonAsync<JsonElement>($"/api/members/{memberId}")).GetProperty("displayName").GetString());
        Assert.Equal("Default Dana", (await backend.GetFromJsonAsync<JsonElement>($"/api/programs/default/members/{memberId}")).GetProperty("displayName").GetString());
        var second = await backend.GetFromJsonAsync<JsonElement>($"/api/programs/second/members/{memberId}");
        Assert.Equal("Second Sam", second.GetProperty("displayName").GetString());
        Assert.Equal(memberId, second.GetProperty("memberId").GetString());
        Assert.Equal(700, second.GetProperty("points").GetInt64());

        // A member of only one program: the other program answers exactly as for an unknown member.
        var onlySecond = TestMembers.NewId();
        Assert.Equal(HttpStatusCode.Created, (await TwoPrograms.PutMemberAsync(backend, $"/api/programs/second/members/{onlySecond}", "Only Second", 5)).StatusCode);
        var unknown = TestMembers.NewId();
        foreach (var (hidden, neverExisted) in new[]
        {
            ($"/api/members/{onlySecond}", $"/api/members/{unknown}"),
            ($"/api/members/{onlySecond}/delivery", $"/api/members/{unknown}/delivery"),
        })
        {
            var answer = await backend.GetAsync(new Uri(hidden, UriKind.Relative));
            var unknownAnswer = await backend.GetAsync(new Uri(neverExisted, UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
            Assert.Equal(unknownAnswer.StatusCode, answer.StatusCode);
            Assert.Equal(
                (await unknownAnswer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString(),
                (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await backend.PostAsync(new Uri($"/api/members/{onlySecond}/apple-pass/revoke-token", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await backend.DeleteAsync(new Uri($"/api/members/{onlySecond}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await backend.GetAsync(new Uri($"/api/programs/second/members/{onlySecond}", UriKind.Relative))).StatusCode); // still there

        // Deleting the default program's member leaves the second program's member of the same id alone.
        Assert.Equal(HttpStatusCode.NoContent, (await backend.DeleteAsync(new Uri($"/api/members/{memberId}", UriKind.Relative))).StatusCode);
        Assert.Equal("Second Sam", (await backend.GetFromJsonAsync<JsonElement>($"/api/programs/second/members/{memberId}")).GetProperty("displayName").GetString());

        // A program the deployment does not have is 404 on every member route.
        var noProgram = await backend.GetAsync(new Uri($"/api/programs/nosuch/members/{memberId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, noProgram.StatusCode);
        Assert.Equal("Unknown program", (await noProgram.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await TwoPrograms.PutMemberAsync(backend, $"/api/programs/nosuch/members/{memberId}", "Nobody", 1)).StatusCode);
    }

    [Fact]
    public async Task Each_programs_passes_are_signed_served_and_pushed_under_its_own_pass_type()
    {
        await using var factory = await TemplateZips.StartAppAsync(TwoPrograms.Settings());
        using var backend = factory.CreateBackendClient();
        await TwoPrograms.AddSecondProgramAsync(backend);
        var memberId = TestMembers.NewId();
        var (defaultPass, defaultPackage) = await TwoPrograms.InstallAsync(factory, await TwoPrograms.PutMemberAsync(backend, $"/api/members/{memberId}", "Default Dana", 100), memberId);
        var (secondPass, secondPackage) = await TwoPrograms.InstallAsync(factory, await TwoPrograms.PutMemberAsync(backend, $"/api/programs/second/members/{memberId}", "Second Sam", 700), memberId);

        // Each pass names its program's pass type and is signed by that pass type's certificate (its UID, "userId=" as .NET prints it, is the pass type).
        Assert.Equal(DefaultPassType, defaultPass.PassTypeIdentifier);
        Assert.Equal(TwoPrograms.SecondPassType, secondPass.PassTypeIdentifier);
        Assert.Contains("=" + DefaultPassType + ",", SignerOf(defaultPackage), StringComparison.Ordinal);
        Assert.Contains("=" + TwoPrograms.SecondPassType + ",", SignerOf(secondPackage), StringComparison.Ordinal);

        // The web service serves each pass under its own pass type only.
        var device = new SimulatedDevice(factory);
        Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(defaultPass)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(secondPass)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await device.FetchPassAsync(defaultPass)).StatusCode);
        var fetched = await device.FetchPassAsync(secondPass);
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        var fetchedJson = new PkPass(await fetched.Content.ReadAsByteArrayAsync()).PassJson;
        Assert.Equal(secondPass.SerialNumber, fetchedJson.GetProperty("serialNumber").GetString());
        Assert.Equal(TwoPrograms.SecondPassType, fetchedJson.GetProperty("passTypeIdentifier").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await device.FetchPassAsync(secondPass with { PassTypeIdentifier = DefaultPassType })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await device.FetchPassAsync(defaultPass with { PassTypeIdentifier = TwoPrograms.SecondPassType })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await device.FetchPassAsync(defaultPass with { PassTypeIdentifier = "pass.com.example.nobody" })).StatusCode);

        // "Which passes changed" lists only the asked pass type's passes of the device.
        Assert.Equal([defaultPass.SerialNumber], (await device.ListChangedAsync(defaultPass)).SerialNumbers);
        Assert.Equal([secondPass.SerialNumber], (await device.ListChangedAsync(secondPass)).SerialNumbers);

        // A change of each member pushes the device on its program's topic, with its program's certificate.
        var pushesBefore = SharedApns.Emulator.Pushes.Count(p => p.PushToken == device.PushToken);
        Assert.Equal(HttpStatusCode.OK, (await TwoPrograms.PutMemberAsync(backend, $"/api/programs/second/members/{memberId}", "Second Sam", 800)).StatusCode);
        await Eventually.HoldsAsync(() => SharedApns.Emulator.Pushes.Count(p => p.PushToken == device.PushToken) > pushesBefore, "the second program's change is pushed");
        var secondPush = SharedApns.Emulator.Pushes.Last(p => p.PushToken == device.PushToken);
        Assert.Equal(TwoPrograms.SecondPassType, secondPush.Headers["apns-topic"]);
        Assert.Contains("=" + TwoPrograms.SecondPassType + ",", secondPush.ClientCertificateSubject, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await TwoPrograms.PutMemberAsync(backend, $"/api/members/{memberId}", "Default Dana", 200)).StatusCode);
        await Eventually.HoldsAsync(() => SharedApns.Emulator.Pushes.Count(p => p.PushToken == device.PushToken) > pushesBefore + 1, "the default program's change is pushed");
        var defaultPush = SharedApns.Emulator.Pushes.Last(p => p.PushToken == device.PushToken);
        Assert.Equal(DefaultPassType, defaultPush.Headers["apns-topic"]);
        Assert.Contains("=" + DefaultPassType + ",", defaultPush.ClientCertificateSubject, StringComparison.Ordinal);
    }

    private static string SignerOf(PkPass package)
    {
        var signed = new SignedCms(new ContentInfo(package.Files["manifest.json"]), detached: true);
        signed.Decode(package.Files["signature"]);
        signed.CheckSignature(verifySignatureOnly: true);
        return signed.SignerInfos[0].Certificate!.Subject;
    }
}
