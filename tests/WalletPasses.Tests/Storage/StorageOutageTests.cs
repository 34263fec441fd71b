using System.Net;
using System.Net.Http.Json;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Storage;

/// <summary>
/// Storage goes away under a running app (its own Azurite, stopped): every route that needs storage answers
/// 503 with Retry-After as problem details (RFC 9110 15.6.4: "the server is currently unable to handle the
/// request due to a temporary overload"), never a 500. Apple's devices and backends retry such answers.
/// </summary>
public sealed class StorageOutageTests : IAsyncLifetime, IDisposable
{
    private AzuriteServer _azurite = null!;
    private WalletPassesFactory _factory = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.StartAsync();
        _factory = new WalletPassesFactory(_azurite.ConnectionString);
        using var client = _factory.CreateClient();
        (await client.GetAsync(new Uri("/api/health", UriKind.Relative))).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await _azurite.DisposeAsync();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task While_storage_is_unreachable_every_route_that_needs_it_answers_503_with_Retry_After()
    {
        using var backend = _factory.CreateBackendClient();
        using var staff = _factory.CreateStaffClient();
        using var customer = _factory.CreateClient();
        var pass = await InstalledPass.IssueAsync(_factory);
        var passUrl = await TestMembers.PassUrlAsync(backend, pass.MemberId);
        var barcode = await StaffTesting.BarcodeOfAsync(_factory, (await TestMembers.GetAsync(backend, pass.MemberId))!.Value);
        var device = new SimulatedDevice(_factory);
        Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);

        await _azurite.DisposeAsync();

        var calls = new Dictionary<string, Func<Task<HttpResponseMessage>>>
        {
            ["PUT member"] = () => backend.PutAsync("/api/members/" + TestMembers.NewId(), TestMembers.Json("""{"displayName": "Jane Doe", "points": 1, "tier": "silver"}""")),
            ["GET member"] = () => backend.GetAsync("/api/members/" + pass.MemberId),
            ["DELETE member"] = () => backend.DeleteAsync("/api/members/" + pass.MemberId),
            ["POST events"] = () => backend.PostAsync("/api/loyalty-events", TestMembers.Json(TestMembers.PointsEvent(pass.MemberId, 1, 5))),
            ["POST staff key"] = () => backend.PostAsync("/api/staff-keys", JsonContent.Create(new { name = "till-" + Guid.NewGuid().ToString("N")[..8] })),
            ["GET staff keys"] = () => backend.GetAsync("/api/staff-keys"),
            ["POST validation"] = () => StaffTesting.ValidateAsync(staff, barcode),
            ["POST redemption"] = () => staff.PostAsync("/api/redemptions", JsonContent.Create(new { barcode, perkId = "free-shipping", idempotencyKey = Guid.NewGuid().ToString() })),
            ["pass download"] = () => customer.GetAsync(passUrl.PathAndQuery),
            ["device list"] = () => device.ListAsync(pass),
            ["device register"] = () => new SimulatedDevice(_factory).RegisterAsync(pass),
            ["device unregister"] = () => device.UnregisterAsync(pass),
            ["device pass"] = () => device.FetchPassAsync(pass),
        };

        var answers = await Task.WhenAll(calls.Select(async call => (call.Key, Response: await call.Value())));

        Assert.All(answers, answer =>
        {
            Assert.True(answer.Response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{answer.Key}: {(int)answer.Response.StatusCode}");
            Assert.Equal(TimeSpan.FromSeconds(10), answer.Response.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", answer.Response.Content.Headers.ContentType?.MediaType);
        });
    }
}
