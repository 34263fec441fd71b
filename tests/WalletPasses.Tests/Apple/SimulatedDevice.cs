using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Apple;

/// <summary>A pass as a device holds it after installing it from the member's link: what its pass.json says.</summary>
public sealed record InstalledPass(string MemberId, string SerialNumber, string PassTypeIdentifier, string AuthenticationToken, string WebServiceUrl)
{
    /// <summary>Creates a member through the backend API and installs the pass from the member's link, as a customer would.</summary>
    public static async Task<InstalledPass> IssueAsync(WalletPassesFactory factory, long points = 100)
    {
        using var backend = factory.CreateBackendClient();
        using var customer = factory.CreateClient();
        return await IssueAsync(backend, customer, points);
    }

    /// <summary>The same through any HTTP clients: <paramref name="backend"/> with the backend key, <paramref name="customer"/> without.</summary>
    public static async Task<InstalledPass> IssueAsync(HttpClient backend, HttpClient customer, long points = 100, string tier = "gold")
    {
        var memberId = "m-" + Guid.NewGuid().ToString("N")[..12];
        var member = await PutMemberAsync(backend, memberId, points, tier);
        var pass = new PkPass(await customer.GetByteArrayAsync(member.GetProperty("apple").GetProperty("passUrl").GetString()));
        return new InstalledPass(
            memberId,
            pass.PassJson.GetProperty("serialNumber").GetString()!,
            pass.PassJson.GetProperty("passTypeIdentifier").GetString()!,
            pass.PassJson.GetProperty("authenticationToken").GetString()!,
            pass.PassJson.GetProperty("webServiceURL").GetString()!);
    }

    /// <summary>The loyalty backend changes the member's points: a new pass version.</summary>
    public async Task SetPointsAsync(WalletPassesFactory factory, long points)
    {
        using var backend = factory.CreateBackendClient();
        await PutMemberAsync(backend, MemberId, points, "gold");
    }

    private static async Task<JsonElement> PutMemberAsync(HttpClient backend, string memberId, long points, string tier)
    {
        var response = await backend.PutAsync(
            $"/api/members/{memberId}",
            new StringContent($$"""{"displayName": "Jane Doe", "points": {{points}}, "tier": "{{tier}}"}""", Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}

/// <summary>
/// A device speaking Apple's PassKit web service protocol to the webServiceURL of its passes, each call as Apple's
/// reference gives it ("Adding a Web Service to Update Passes",
/// https://developer.apple.com/documentation/walletpasses/adding-a-web-service-to-update-passes, and its endpoints):
/// register, <c>POST /v1/devices/{deviceLibraryIdentifier}/registrations/{passTypeIdentifier}/{serialNumber}</c> with
/// <c>Authorization: ApplePass {authenticationToken}</c> and the body <c>{"pushToken": ...}</c>
/// (https://developer.apple.com/documentation/walletpasses/register-a-pass-for-update-notifications); unregister, DELETE on the
/// same path; the list, <c>GET /v1/devices/{deviceLibraryIdentifier}/registrations/{passTypeIdentifier}?passesUpdatedSince={tag}</c>,
/// unauthenticated, answered <c>{"serialNumbers": [...], "lastUpdated": "..."}</c> or 204
/// (https://developer.apple.com/documentation/walletpasses/get-the-list-of-updatable-passes); the pass,
/// <c>GET /v1/passes/{passTypeIdentifier}/{serialNumber}</c> with If-Modified-Since
/// (https://developer.apple.com/documentation/walletpasses/send-an-updated-pass).
/// </summary>
public sealed class SimulatedDevice(HttpClient http, string authorizationScheme = "ApplePass")
{
    private readonly HttpClient _http = http;

    public SimulatedDevice(WalletPassesFactory factory, string authorizationScheme = "ApplePass")
        : this(factory.CreateClient(), authorizationScheme)
    {
    }

    public string Id { get; init; } = "device." + Guid.NewGuid().ToString("N");

    public string PushToken { get; set; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static string RegistrationPath(string deviceId, string passTypeIdentifier, string serialNumber) =>
        $"/v1/devices/{deviceId}/registrations/{passTypeIdentifier}/{serialNumber}";

    public string RegistrationPath(InstalledPass pass) => RegistrationPath(Id, pass.PassTypeIdentifier, pass.SerialNumber);

    public string Authorization(InstalledPass pass) => $"{authorizationScheme} {pass.AuthenticationToken}";

    public Task<HttpResponseMessage> RegisterAsync(InstalledPass pass) =>
        SendAsync(HttpMethod.Post, pass, RegistrationPath(pass), Authorization(pass), JsonContent($$"""{"pushToken": "{{PushToken}}"}"""));

    public Task<HttpResponseMessage> UnregisterAsync(InstalledPass pass) =>
        SendAsync(HttpMethod.Delete, pass, RegistrationPath(pass), Authorization(pass));

    /// <summary>"Which of my passes of this type changed since <paramref name="tag"/>?"</summary>
    public Task<HttpResponseMessage> ListAsync(InstalledPass anyPassOfTheType, string? tag = null) =>
        SendAsync(
            HttpMethod.Get,
            anyPassOfTheType,
            $"/v1/devices/{Id}/registrations/{anyPassOfTheType.PassTypeIdentifier}" + (tag is null ? "" : "?passesUpdatedSince=" + Uri.EscapeDataString(tag)));

    /// <summary>The list call for <paramref name="deviceLibraryIdentifier"/> as sent from <paramref name="client"/> (an IP address), for limits per address.</summary>
    public static async Task<HttpResponse> ListFromAsync(WalletPassesFactory factory, string client, string deviceLibraryIdentifier, InstalledPass anyPassOfTheType)
    {
        // Apple appends /v1/... to the pass's webServiceURL.
        var url = new Uri($"{anyPassOfTheType.WebServiceUrl}/v1/devices/{deviceLibraryIdentifier}/registrations/{anyPassOfTheType.PassTypeIdentifier}");
        return (await factory.Server.SendAsync(http =>
        {
            http.Request.Method = "GET";
            http.Request.Path = url.AbsolutePath;
            http.Request.Host = new HostString(url.Authority);
            http.Connection.RemoteIpAddress = IPAddress.Parse(client);
        })).Response;
    }

    /// <summary>The list call's answer when something changed: the serial numbers and the new tag.</summary>
    public async Task<(string[] SerialNumbers, string LastUpdated)> ListChangedAsync(InstalledPass anyPassOfTheType, string? tag = null)
    {
        var response = await ListAsync(anyPassOfTheType, tag);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var lastUpdated = body.GetProperty("lastUpdated");
        Assert.Equal(JsonValueKind.String, lastUpdated.ValueKind); // a number breaks updates on real devices
        return (body.GetProperty("serialNumbers").EnumerateArray().Select(s => s.GetString()!).Order(StringComparer.Ordinal).ToArray(), lastUpdated.GetString()!);
    }

    public Task<HttpResponseMessage> FetchPassAsync(InstalledPass pass, HttpMethod? method = null, DateTimeOffset? ifModifiedSince = null)
    {
        var request = Request(method ?? HttpMethod.Get, pass, $"/v1/passes/{pass.PassTypeIdentifier}/{pass.SerialNumber}", Authorization(pass));
        request.Headers.IfModifiedSince = ifModifiedSince;
        return _http.SendAsync(request);
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, InstalledPass pass, string path, string? authorization = null, HttpContent? content = null)
    {
        var request = Request(method, pass, path, authorization);
        request.Content = content;
        return _http.SendAsync(request);
    }

    public static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");

    private static HttpRequestMessage Request(HttpMethod method, InstalledPass pass, string path, string? authorization)
    {
        // Apple appends /v1/... to the pass's webServiceURL.
        var request = new HttpRequestMessage(method, pass.WebServiceUrl + path);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return request;
    }
}

/// <summary>Test access to what the service stored about registrations.</summary>
public static class StoredRegistrations
{
    public static Task<IReadOnlyList<DeviceRegistration>> ForMemberAsync(WalletPassesFactory factory, string memberId) =>
        factory.Services.GetRequiredService<DeviceRegistrations>().ForMemberAsync(memberId, CancellationToken.None);
}
