using System.Net;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Apple;
using WalletPasses.Delivery;
using WalletPasses.Storage;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Health;

/// <summary>
/// <c>GET /api/health</c> tells an operator what to fix, and a load balancer whether to send traffic: each state an
/// operator must act on, brought about for real (an emulator stopped, an APNs refusal, a clock near expiry).
/// </summary>
public sealed class HealthTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly Dictionary<string, string?> NoPolling = new() { ["WalletPasses:Events:PollQueue"] = "false" };

    [Fact]
    public async Task A_working_app_is_ok_with_no_reasons_and_answers_200()
    {
        await using var factory = new WalletPassesFactory(app.Azurite.ConnectionString, NoPolling);

        var health = await HealthProbe.GetAsync(factory);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("ok", health.Status);
        Assert.Empty(health.Reasons);
        Assert.True(health.Report.GetProperty("storage").GetProperty("reachable").GetBoolean());
        Assert.True(health.Report.GetProperty("template").GetProperty("loaded").GetBoolean());
        Assert.InRange(health.Report.GetProperty("apple").GetProperty("certificateDaysLeft").GetInt32(), 300, 366);
    }

    [Fact]
    public async Task A_certificate_expiring_within_30_days_is_degraded_and_an_expired_one_unhealthy()
    {
        await using var factory = new WalletPassesFactory(app.Azurite.ConnectionString, NoPolling);
        var expiresAt = TestCertificates.Certificates.Pass.NotAfter.ToUniversalTime();
        await HealthProbe.GetAsync(factory); // started

        factory.Time.SetUtcNow(expiresAt.AddDays(-12.5));
        var expiring = await HealthProbe.GetAsync(factory);

        Assert.Equal(HttpStatusCode.OK, expiring.StatusCode); // still serving: a load balancer keeps it
        Assert.Equal("degraded", expiring.Status);
        Assert.Equal(
            $"The Apple pass certificate expires in 12 days ({expiresAt:yyyy-MM-dd}): rotate it (README, Certificate rotation).",
            expiring.Reason("The Apple pass certificate expires"));

        factory.Time.SetUtcNow(expiresAt.AddDays(1));
        var expired = await HealthProbe.GetAsync(factory);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, expired.StatusCode);
        Assert.Equal("unhealthy", expired.Status);
        Assert.Contains("install the renewed certificate", expired.Reason($"The Apple pass certificate expired on {expiresAt:yyyy-MM-dd}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Storage_down_is_unhealthy_with_503_and_a_report_never_a_500()
    {
        var azurite = await AzuriteServer.StartAsync();
        await using var factory = new WalletPassesFactory(azurite.ConnectionString, NoPolling);
        Assert.Equal("ok", (await HealthProbe.GetAsync(factory)).Status);

        await azurite.DisposeAsync();
        var health = await HealthProbe.GetAsync(factory);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("unhealthy", health.Status);
        Assert.False(health.Report.GetProperty("storage").GetProperty("reachable").GetBoolean());
        Assert.Contains("check AzureWebJobsStorage", health.Reason("Storage cannot be reached"), StringComparison.Ordinal);
        Assert.DoesNotContain(factory.Settings["AzureWebJobsStorage"]!.Split(';').Single(part => part.StartsWith("AccountKey=", StringComparison.Ordinal))[11..], health.Report.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task APNs_refusing_the_certificate_is_degraded_and_says_to_replace_it()
    {
        await using var factory = new WalletPassesFactory(app.Azurite.ConnectionString, NoPolling);
        // The emulator answers as APNs does for a certificate it does not accept: 403 {"reason":"BadCertificate"}
        // (Apple, "Handling notification responses from APNs").
        var pushed = await PushedPass.ChangeAsync(factory, 999, ApnsReply.BadCertificate);
        var health = await HealthProbe.GetAsync(factory);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("degraded", health.Status);
        var reason = health.Reason("APNs refuses the pass certificate (BadCertificate");
        Assert.Contains($"Pass Type ID certificate of {pushed.Pass.PassTypeIdentifier}", reason, StringComparison.Ordinal);
        Assert.DoesNotContain(pushed.IPhone.PushToken, health.Report.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_update_APNs_has_not_taken_for_15_minutes_is_degraded_as_a_backlog()
    {
        await using var factory = new WalletPassesFactory(app.Azurite.ConnectionString, NoPolling);
        await PushedPass.ChangeAsync(factory, 4321, ApnsReply.ServiceUnavailable); // 503: retried, the version stays pending
        var fresh = await HealthProbe.GetAsync(factory);
        factory.Time.Advance(TimeSpan.FromMinutes(20));
        var stale = await HealthProbe.GetAsync(factory);

        Assert.DoesNotContain(fresh.Reasons, reason => reason.StartsWith("Pass updates are waiting", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Equal("degraded", stale.Status);
        Assert.Equal(
            "Pass updates are waiting: 1 member(s) have a version not yet delivered to apple, the oldest for 20 minutes; fix the platform's problem, and see GET /api/members/{memberId}/delivery for one member.",
            stale.Reason("Pass updates are waiting"));
        Assert.StartsWith("Pushes to APNs failed at", stale.Reasons.Single(reason => reason.StartsWith("Pushes", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rows_kept_after_delivery_while_a_commit_may_still_land_do_not_hide_a_stuck_update_from_the_backlog()
    {
        // Every member change leaves its retry row for minutes (Announcements.RemoveDueAsync); a busy backend fills
        // the first rows with such settled ones, which sort before the stuck member here.
        await using var factory = new WalletPassesFactory(app.Azurite.ConnectionString, NoPolling);
        await PushedPass.ChangeAsync(factory, 4321, ApnsReply.ServiceUnavailable);
        var due = factory.Services.GetRequiredService<StorageClients>().Table(StorageNames.AnnouncementsDueTable);
        await Task.WhenAll(Enumerable.Range(0, AnnouncementBacklog.SampleSize).Select(i => due.UpsertEntityAsync(
            new AnnouncementDueEntity { PartitionKey = $"0-settled-{i:D3}", NextAttemptAt = factory.Time.GetUtcNow().AddMinutes(10), Settled = true })));
        factory.Time.Advance(TimeSpan.FromMinutes(20));

        var stale = await HealthProbe.GetAsync(factory);

        Assert.Contains("1 member(s) have a version not yet delivered to apple", stale.Reason("Pass updates are waiting"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retry_row_written_before_the_settled_column_still_shows_its_stuck_update_in_the_backlog()
    {
        // An upgrade keeps the announcementsdue rows of the release before (commit 694da55 added Settled): such a row
        // has only NextAttemptAt and LastError. Table Storage compares only the properties an entity has, so a filter
        // "Settled eq false" leaves it out, and health said nothing of a member stuck since before the upgrade.
        await using var factory = new WalletPassesFactory(app.Azurite.ConnectionString, NoPolling);
        var stuck = await PushedPass.ChangeAsync(factory, 4321, ApnsReply.ServiceUnavailable);
        var due = factory.Services.GetRequiredService<StorageClients>().Table(StorageNames.AnnouncementsDueTable);
        await Eventually.HoldsAsync(
            async () => await due.GetEntityIfExistsAsync<TableEntity>(stuck.Pass.MemberId, AnnouncementDueEntity.RowKeyValue) is { HasValue: true } row && row.Value!.GetString("LastError") is not null,
            "the failed push put the member on the retry index");
        await due.UpsertEntityAsync(
            new TableEntity(stuck.Pass.MemberId, AnnouncementDueEntity.RowKeyValue)
            {
                // Backed off to the longest retry delay, as the old release left a member during an APNs outage.
                ["NextAttemptAt"] = factory.Time.GetUtcNow().AddHours(1),
                ["LastError"] = "APNs 503 ServiceUnavailable",
            },
            TableUpdateMode.Replace);
        factory.Time.Advance(TimeSpan.FromMinutes(20));

        var stale = await HealthProbe.GetAsync(factory);

        Assert.Equal("degraded", stale.Status);
        Assert.Contains("1 member(s) have a version not yet delivered to apple, the oldest for 20 minutes", stale.Reason("Pass updates are waiting"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unusable_next_certificate_leaves_the_current_one_in_use_and_is_degraded()
    {
        var expired = TestCertificates.ExpiredRenewal();
        await using var factory = new WalletPassesFactory(app.Azurite.ConnectionString, new Dictionary<string, string?>(NoPolling)
        {
            ["WalletPasses:Apple:NextCertificateFile"] = expired.File,
            ["WalletPasses:Apple:NextCertificatePassword"] = TestCertificates.Password,
        });

        var health = await HealthProbe.GetAsync(factory);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("degraded", health.Status);
        Assert.Contains("It is ignored", health.Reason($"WalletPasses:Apple: the next pass certificate expired on {expired.Certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}"), StringComparison.Ordinal);
        var inUse = Assert.Single(health.Report.GetProperty("apple").GetProperty("certificates").EnumerateArray());
        Assert.Equal(PassCertificate.CurrentSetting, inUse.GetProperty("setting").GetString());
    }

    [Fact]
    public async Task Another_programs_certificate_expiring_or_expired_is_degraded_and_named_but_the_instance_keeps_serving()
    {
        // Only that program's passes suffer from it (its passes are signed and pushed with it); the others' go on.
        var issued = TestCertificates.Certificates.Wwdr.NotBefore.ToUniversalTime(); // a pass certificate lies within its WWDR's validity
        var (_, expiringFile) = TestCertificates.Renewal(issued, DateTimeOffset.UtcNow.AddDays(10).AddHours(12), "pass.com.example.expiring");
        var (_, expiredFile) = TestCertificates.Renewal(issued, issued.AddMinutes(1), "pass.com.example.lapsed");
        await using var factory = new WalletPassesFactory(app.Azurite.ConnectionString, new Dictionary<string, string?>(NoPolling)
        {
            ["WalletPasses:Apple:PassTypeCertificates:expiring:CertificateFile"] = expiringFile,
            ["WalletPasses:Apple:PassTypeCertificates:expiring:CertificatePassword"] = TestCertificates.Password,
            ["WalletPasses:Apple:PassTypeCertificates:lapsed:CertificateFile"] = expiredFile,
            ["WalletPasses:Apple:PassTypeCertificates:lapsed:CertificatePassword"] = TestCertificates.Password,
        });

        var health = await HealthProbe.GetAsync(factory);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("degraded", health.Status);
        Assert.Contains("expires in 10 days", health.Reason("The pass certificate of pass.com.example.expiring (WalletPasses:Apple:PassTypeCertificates:expiring)"), StringComparison.Ordinal);
        Assert.Contains("expired on", health.Reason("The pass certificate of pass.com.example.lapsed (WalletPasses:Apple:PassTypeCertificates:lapsed)"), StringComparison.Ordinal);
        var others = health.Report.GetProperty("apple").GetProperty("otherPassTypes").EnumerateArray().ToDictionary(other => other.GetProperty("name").GetString()!);
        Assert.False(others["lapsed"].GetProperty("valid").GetBoolean());
        Assert.Equal(10, others["expiring"].GetProperty("daysLeft").GetInt32());
    }
}
