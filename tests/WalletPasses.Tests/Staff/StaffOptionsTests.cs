using Microsoft.Extensions.Hosting;
using NSubstitute;
using WalletPasses.Staff;

namespace WalletPasses.Tests.Staff;

public sealed class StaffOptionsTests
{
    private static string[] Failures(StaffOptions options, string environment = "Production")
    {
        var host = Substitute.For<IHostEnvironment>();
        host.EnvironmentName.Returns(environment);
        var result = new StaffOptionsValidator(host).Validate(null, options);
        return result.Failed ? result.Failures.ToArray() : [];
    }

    [Fact]
    public void The_defaults_are_valid() => Assert.Empty(Failures(new StaffOptions()));

    [Fact]
    public void A_webhook_needs_a_long_secret_and_https_outside_development_and_the_message_never_shows_the_secret()
    {
        var failures = Failures(new StaffOptions { PointsWebhookUrl = "http://backend.example/hook", PointsWebhookSecret = "short-secret" });

        Assert.Contains(failures, f => f.Contains("PointsWebhookSecret", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("https", StringComparison.Ordinal));
        Assert.DoesNotContain(failures, f => f.Contains("short-secret", StringComparison.Ordinal));
        Assert.Empty(Failures(new StaffOptions { PointsWebhookUrl = "http://127.0.0.1:9000/hook", PointsWebhookSecret = new string('s', 32) }));
        Assert.Empty(Failures(new StaffOptions { PointsWebhookUrl = "http://backend.example/hook", PointsWebhookSecret = new string('s', 32) }, "Development"));
    }

    [Fact]
    public void Bad_limits_time_zones_and_refresh_intervals_are_named()
    {
        var failures = Failures(new StaffOptions { RateLimitPermits = 0, RateLimitWindow = TimeSpan.Zero, PerkDayTimeZone = "Mars/Olympus", KeyRefreshInterval = TimeSpan.FromHours(1) });

        Assert.Contains(failures, f => f.Contains("RateLimitPermits", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("RateLimitWindow", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Mars/Olympus", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("KeyRefreshInterval", StringComparison.Ordinal));
    }

    [Fact]
    public void Once_per_day_claims_follow_the_configured_calendar_day()
    {
        var perk = new WalletPasses.Templates.PerkTemplate { Id = "free-drink-daily", Redemption = WalletPasses.Templates.PerkRedemption.OncePerDay };
        var lateEvening = new DateTimeOffset(2026, 11, 23, 23, 30, 0, TimeSpan.Zero);

        Assert.Equal("perk|free-drink-daily|day|2026-11-23", PerkClaimEntity.RowKeyFor(perk, lateEvening, TimeZoneInfo.Utc));
        Assert.Equal("perk|free-drink-daily|day|2026-11-24", PerkClaimEntity.RowKeyFor(perk, lateEvening, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")));
        Assert.Equal("perk|a%2Fb|once", PerkClaimEntity.RowKeyFor(perk with { Id = "a/b", Redemption = WalletPasses.Templates.PerkRedemption.Once }, lateEvening, TimeZoneInfo.Utc));
        Assert.Null(PerkClaimEntity.RowKeyFor(perk with { Redemption = WalletPasses.Templates.PerkRedemption.Unlimited }, lateEvening, TimeZoneInfo.Utc));
    }
}
