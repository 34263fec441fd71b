using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using WalletPasses.Google;
using WalletPasses.Security;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Google;
using WalletPasses.Tests.Infrastructure;
using WalletPasses.Tests.Telemetry;

namespace WalletPasses.Tests.Security;

/// <summary>
/// A whole run at Trace level: member created, pass downloaded from its signed link, a device registering,
/// listing, fetching and reporting to the log endpoint (Apple's device log lines name the device: "Register
/// task (for device ..., pass type ..., serial number ...)", PassKit Web Service Reference, "Log a Message"),
/// a points change pushed, a signed loyalty event applied, a Google save link followed, a staff scan. No link
/// query, token, device id, key, signature or secret it handled is in any log line, structured value or scope,
/// in any span attribute, or anywhere in what was exported over OTLP.
/// </summary>
public sealed class LogSecretsTests(VerboseLoggingFixture app) : IClassFixture<VerboseLoggingFixture>
{
    [Fact]
    public async Task No_signed_link_token_device_id_key_or_secret_reaches_the_log_at_any_level()
    {
        var factory = app.Factory;
        using var backend = factory.CreateBackendClient();
        using var staff = factory.CreateStaffClient();
        using var customer = factory.CreateClient();

        var pass = await InstalledPass.IssueAsync(factory);
        var passUrl = await TestMembers.PassUrlAsync(backend, pass.MemberId);
        var signature = passUrl.Query.Split("signature=")[1];
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync(passUrl.AbsolutePath + passUrl.Query.Replace(signature, signature[..^2] + "xx", StringComparison.Ordinal))).StatusCode);

        var device = new SimulatedDevice(factory);
        Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);
        await device.ListChangedAsync(pass);
        Assert.Equal(HttpStatusCode.OK, (await device.FetchPassAsync(pass)).StatusCode);
        var deviceLog = $"Register task (for device {device.Id}, pass type {pass.PassTypeIdentifier}, serial number {pass.SerialNumber}; with web service url {pass.WebServiceUrl}/v1/devices/{device.Id}/registrations/{pass.PassTypeIdentifier}) encountered error: Unexpected response code 500";
        var logged = await customer.PostAsync(pass.WebServiceUrl + "/v1/log", new StringContent(JsonSerializer.Serialize(new { logs = new[] { deviceLog } }), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, logged.StatusCode);

        await pass.SetPointsAsync(factory, 4242);
        var eventBody = TestMembers.PointsEvent(pass.MemberId, 1, 4343);
        var eventSignature = RequestSignatures.Create(VerboseLoggingFixture.EventSigningSecret, factory.Time.GetUtcNow(), Encoding.UTF8.GetBytes(eventBody));
        using var signedEvent = new HttpRequestMessage(HttpMethod.Post, "/api/loyalty-events") { Content = TestMembers.Json(eventBody) };
        signedEvent.Headers.Add(RequestSignatures.Header, eventSignature);
        Assert.Equal(HttpStatusCode.Accepted, (await backend.SendAsync(signedEvent)).StatusCode);
        await TestMembers.WaitForAsync(backend, pass.MemberId, m => m.GetProperty("points").GetInt64() == 4343);
        var saveLink = (await TestMembers.GetAsync(backend, pass.MemberId))!.Value.GetProperty("google").GetProperty("saveUrl").GetString()!;
        using var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri(WalletPassesFactory.PublicBaseUrl) });
        var saved = await browser.GetAsync(saveLink);
        Assert.Equal(HttpStatusCode.Found, saved.StatusCode);
        var saveJwt = saved.Headers.Location!.AbsoluteUri[SaveJwtBuilder.SaveUrlPrefix.Length..];
        var googlePrivateKey = JsonNode.Parse(File.ReadAllText(app.GoogleKeyFile))!["private_key"]!.GetValue<string>().Split('\n')[2];
        var barcode = await StaffTesting.BarcodeOfAsync(factory, (await TestMembers.GetAsync(backend, pass.MemberId))!.Value);
        Assert.Equal(HttpStatusCode.OK, (await StaffTesting.ValidateAsync(staff, barcode)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await device.UnregisterAsync(pass)).StatusCode);

        app.FlushTelemetry();
        var lines = app.Log.Lines
            .Concat(app.Spans.Select(span => $"span {span.DisplayName}: {string.Join(" ", span.TagObjects.Select(t => $"{t.Key}={t.Value}"))}"))
            .Concat(app.Collector.Bodies.Select(body => "exported: " + Encoding.UTF8.GetString(body)))
            .ToArray();
        Assert.Contains(lines, l => l.StartsWith("exported: ", StringComparison.Ordinal) && l.Contains("/api/apple/passes/" + pass.SerialNumber, StringComparison.Ordinal)); // spans were exported
        Assert.Contains(lines, l => l.Contains("/api/apple/passes/" + pass.SerialNumber, StringComparison.Ordinal)); // the request log is on
        var secrets = new Dictionary<string, string>
        {
            ["signed link query"] = passUrl.Query.TrimStart('?'),
            ["link signature"] = signature,
            ["authenticationToken"] = pass.AuthenticationToken,
            ["device library identifier"] = device.Id,
            ["push token"] = device.PushToken,
            ["barcode"] = barcode,
            ["backend key"] = WalletPassesFactory.BackendKey,
            ["staff key"] = WalletPassesFactory.StaffKey,
            ["signing secret"] = factory.Settings["WalletPasses:SigningSecret"]!,
            ["certificate password"] = TestCertificates.Password,
            ["loyalty-event signing secret"] = VerboseLoggingFixture.EventSigningSecret,
            ["loyalty-event signature"] = eventSignature.Split("v1=")[^1],
            ["Google save link query"] = new Uri(saveLink).Query.TrimStart('?'),
            ["Google save JWT"] = saveJwt,
            ["Google service-account private key"] = googlePrivateKey,
        };
        var leaks = secrets.SelectMany(secret => lines.Where(l => l.Contains(secret.Value, StringComparison.Ordinal)).Select(l => $"{secret.Key} in: {l}")).Take(5).ToArray();
        Assert.Empty(leaks);
        Assert.Contains(lines, l => l.Contains("Register task (for device [redacted]", StringComparison.Ordinal)); // so is the device log

    }
}
