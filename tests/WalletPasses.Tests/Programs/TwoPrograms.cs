using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;
using WalletPasses.Tests.Publishing;

namespace WalletPasses.Tests.Programs;

/// <summary>
/// A deployment with two programs, as an operator sets one up: the configured default program and a second one of
/// another pass type (its own Pass Type ID certificate, named under <c>WalletPasses:Apple:PassTypeCertificates</c>),
/// added at run time by uploading its template and publishing it.
/// </summary>
public static class TwoPrograms
{
    public const string SecondProgram = "second";
    public const string SecondPassType = "pass.com.example.second";

    /// <summary>The settings of the second program's certificate (a pass type certificate of the test PKI, so the APNs emulator trusts it).</summary>
    public static Dictionary<string, string?> Settings()
    {
        var (_, file) = TestCertificates.Renewal(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddYears(2), SecondPassType);
        return new Dictionary<string, string?>
        {
            ["WalletPasses:Apple:PassTypeCertificates:second:CertificateFile"] = file,
            ["WalletPasses:Apple:PassTypeCertificates:second:CertificatePassword"] = TestCertificates.Password,
        };
    }

    /// <summary>
    /// An app of its own (<see cref="TemplateZips.StartAppAsync"/>) with the second program's certificate, its
    /// <paramref name="settings"/> and the second program added (its template changed by <paramref name="alsoChange"/>).
    /// </summary>
    public static async Task<WalletPassesFactory> StartAsync(IDictionary<string, string?>? settings = null, Action<JsonNode>? alsoChange = null)
    {
        var all = Settings();
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var factory = await TemplateZips.StartAppAsync(all);
        using var backend = factory.CreateBackendClient();
        await AddSecondProgramAsync(backend, alsoChange);
        return factory;
    }

    /// <summary>The same new member id in both programs, each one's pass installed from its link as a phone holds it.</summary>
    public static async Task<TwoProgramPasses> InstallBothAsync(WalletPassesFactory factory, HttpClient backend)
    {
        var memberId = TestMembers.NewId();
        var (defaultPass, _) = await InstallAsync(factory, await PutMemberAsync(backend, $"/api/members/{memberId}", "Default Dana", 100), memberId);
        var (secondPass, secondPackage) = await InstallAsync(factory, await PutMemberAsync(backend, $"/api/programs/second/members/{memberId}", "Second Sam", 700), memberId);
        return new TwoProgramPasses(memberId, defaultPass, secondPass, secondPackage);
    }

    /// <summary>Adds the second program through the publishing API: the default template with its own program id and pass type (and <paramref name="alsoChange"/>).</summary>
    public static async Task AddSecondProgramAsync(HttpClient backend, Action<JsonNode>? alsoChange = null)
    {
        var draft = await TemplateZips.ChangedAsync(backend, template =>
        {
            template["programId"] = SecondProgram;
            template["passTypeIdentifier"] = SecondPassType;
            template["programName"] = "Second Program";
            alsoChange?.Invoke(template);
        });
        Assert.Equal(HttpStatusCode.NoContent, (await TemplateZips.UploadAsync(backend, draft, $"/api/programs/{SecondProgram}/template")).StatusCode);
        var published = await backend.PostAsync(new Uri($"/api/programs/{SecondProgram}/template/publish", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, published.StatusCode);
    }

    public static Task<HttpResponseMessage> PutMemberAsync(HttpClient backend, string route, string displayName, long points, string tier = "gold") =>
        backend.PutAsync(route, new StringContent($$"""{"displayName": "{{displayName}}", "points": {{points}}, "tier": "{{tier}}"}""", Encoding.UTF8, "application/json"));

    /// <summary>The same new member id in both programs ("Default Dana", 100 points; "Second Sam", 700), with each one's barcode.</summary>
    public static async Task<(string MemberId, string DefaultBarcode, string SecondBarcode)> SameMemberInBothAsync(WalletPassesFactory factory, HttpClient backend)
    {
        var memberId = TestMembers.NewId();
        var defaultMember = await (await PutMemberAsync(backend, $"/api/members/{memberId}", "Default Dana", 100)).Content.ReadFromJsonAsync<JsonElement>();
        var secondMember = await (await PutMemberAsync(backend, $"/api/programs/second/members/{memberId}", "Second Sam", 700)).Content.ReadFromJsonAsync<JsonElement>();
        return (memberId, await StaffTesting.BarcodeOfAsync(factory, defaultMember), await StaffTesting.BarcodeOfAsync(factory, secondMember));
    }

    /// <summary>The app's <c>pass-activity</c> queue, read as the backend reads it (base64 JSON).</summary>
    public static async Task<QueueClient> ActivityQueueAsync(WalletPassesFactory factory) =>
        new((await AzuriteServer.Shared).ConnectionString, factory.StoragePrefix + "pass-activity", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    /// <summary>The pass the member's link downloads, installed as a device holds it.</summary>
    public static async Task<(InstalledPass Pass, PkPass Package)> InstallAsync(WalletPassesFactory factory, HttpResponseMessage memberResponse, string memberId)
    {
        var member = await memberResponse.Content.ReadFromJsonAsync<JsonElement>();
        using var customer = factory.CreateClient();
        var package = new PkPass(await customer.GetByteArrayAsync(new Uri(new Uri(member.GetProperty("apple").GetProperty("passUrl").GetString()!).PathAndQuery, UriKind.Relative)));
        var pass = new InstalledPass(
            memberId,
            package.PassJson.GetProperty("serialNumber").GetString()!,
            package.PassJson.GetProperty("passTypeIdentifier").GetString()!,
            package.PassJson.GetProperty("authenticationToken").GetString()!,
            package.PassJson.GetProperty("webServiceURL").GetString()!);
        return (pass, package);
    }

    public static JsonNode Node(string json) => JsonNode.Parse(json)!;
}
