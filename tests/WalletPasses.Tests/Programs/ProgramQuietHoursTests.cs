using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WalletPasses.Notifications;
using WalletPasses.Tests.Infrastructure;
using WalletPasses.Tests.Publishing;

namespace WalletPasses.Tests.Programs;

/// <summary>
/// Issue 15: quiet hours "configurable per program". An update in quiet hours is delivered silently: its pass has no
/// <c>changeMessage</c> on the changed field (Apple's Pass reference, "PassFieldContent": without a change message the
/// user isn't notified when the field changes).
/// </summary>
public sealed class ProgramQuietHoursTests
{
    [Fact]
    public async Task A_program_with_its_own_quiet_hours_updates_silently_while_the_other_program_alerts()
    {
        var settings = TwoPrograms.Settings();
        settings["WalletPasses:Notifications:Programs:second:QuietHoursStart"] = "10:00"; // the deployment's: none (the test factory's)
        settings["WalletPasses:Notifications:Programs:second:QuietHoursEnd"] = "14:00";
        await using var factory = await TemplateZips.StartAppAsync(settings);
        factory.Time.SetUtcNow(new DateTimeOffset(factory.Time.GetUtcNow().UtcDateTime.Date.AddDays(1).AddHours(12), TimeSpan.Zero)); // noon UTC, the members' zone
        using var backend = factory.CreateBackendClient();
        await TwoPrograms.AddSecondProgramAsync(backend);
        var memberId = TestMembers.NewId();
        await TwoPrograms.PutMemberAsync(backend, $"/api/members/{memberId}", "Default Dana", 100);
        await TwoPrograms.PutMemberAsync(backend, $"/api/programs/second/members/{memberId}", "Second Sam", 100);

        var defaultChanged = await TwoPrograms.PutMemberAsync(backend, $"/api/members/{memberId}", "Default Dana", 200);
        var secondChanged = await TwoPrograms.PutMemberAsync(backend, $"/api/programs/second/members/{memberId}", "Second Sam", 200);
        Assert.Equal(HttpStatusCode.OK, defaultChanged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, secondChanged.StatusCode);

        var (_, defaultPass) = await TwoPrograms.InstallAsync(factory, defaultChanged, memberId);
        var (_, secondPass) = await TwoPrograms.InstallAsync(factory, secondChanged, memberId);
        Assert.Equal(200, defaultPass.Field("primaryFields", "points").GetProperty("value").GetInt64());
        Assert.Equal(200, secondPass.Field("primaryFields", "points").GetProperty("value").GetInt64());
        Assert.True(defaultPass.Field("primaryFields", "points").TryGetProperty("changeMessage", out _)); // outside the deployment's (no) quiet hours
        Assert.False(secondPass.Field("primaryFields", "points").TryGetProperty("changeMessage", out _)); // inside the second program's
    }

    [Fact]
    public void A_programs_quiet_hours_fall_back_to_the_deployments_and_bad_values_stop_the_start_with_what_to_fix()
    {
        var options = new NotificationOptions { QuietHoursStart = "21:00", QuietHoursEnd = "08:00" };
        options.Programs["night-owls"] = new ProgramQuietHoursOptions { QuietHoursStart = "02:00", QuietHoursEnd = "06:00" };

        Assert.Equal(new QuietHours(new TimeOnly(2, 0), new TimeOnly(6, 0)), options.QuietHoursOf("night-owls"));
        Assert.Equal(new QuietHours(new TimeOnly(21, 0), new TimeOnly(8, 0)), options.QuietHoursOf("default"));

        options.Programs["broken"] = new ProgramQuietHoursOptions { QuietHoursStart = "9pm", QuietHoursEnd = "08:00" };
        var result = new NotificationOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains("WalletPasses:Notifications:Programs:broken:QuietHoursStart", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("night-owls", result.FailureMessage, StringComparison.Ordinal);
    }
}
