using System.Net;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Storage;

/// <summary>
/// Storage set-up runs off the start-up path (a scaled-from-zero instance answers as soon as it can): an app whose
/// storage is not reachable yet still starts, answers 503 with Retry-After meanwhile (RFC 9110 15.6.4; Apple's
/// devices and backends retry such answers), and serves once storage comes up, without a restart (before, it refused to start).
/// </summary>
public sealed class StorageReadinessTests
{
    [Fact]
    public async Task An_app_started_before_its_storage_answers_503_and_serves_once_storage_is_up()
    {
        var ports = AzuriteServer.FreePorts();
        using var factory = new WalletPassesFactory(AzuriteServer.ConnectionStringFor(ports));
        using var backend = factory.CreateBackendClient();

        using (var early = await backend.GetAsync(new Uri("/api/members/" + TestMembers.NewId(), UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, early.StatusCode);
            Assert.NotNull(early.Headers.RetryAfter);
            Assert.Equal("application/problem+json", early.Content.Headers.ContentType?.MediaType);
        }

        await using var azurite = await AzuriteServer.StartAsync(ports);
        // A set-up attempt begun while storage was still down may answer one more 503; a client's retry then succeeds.
        var memberId = TestMembers.NewId();
        await Eventually.HoldsAsync(async () =>
        {
            using var put = await backend.PutAsync(new Uri("/api/members/" + memberId, UriKind.Relative), TestMembers.Json("""{"displayName": "Jane Doe", "points": 10, "tier": "silver"}"""));
            Assert.True(put.IsSuccessStatusCode || put.StatusCode == HttpStatusCode.ServiceUnavailable, $"PUT after storage came up: {put.StatusCode}");
            return put.IsSuccessStatusCode;
        }, "the member is created once storage is up");
        Assert.NotNull(await TestMembers.GetAsync(backend, memberId));
    }
}
