using System.Net;
using System.Net.Http.Json;
using WalletPasses.Tests.Infrastructure;
using WalletPasses.Tests.Publishing;

namespace WalletPasses.Tests.Programs;

/// <summary>
/// Issue 14: messages to the loyalty backend carry the member id the backend knows and the program it belongs to, so
/// the same member id in two programs is never one member to the backend. Over Azurite and the real HTTP stack: a staff
/// key of every program scans both programs' passes of the same member id and requests a points redemption from the
/// second program's member; the <c>pass-activity</c> queue (base64 JSON, as the backend reads it) tells them apart.
/// </summary>
public sealed class ProgramActivityTests
{
    [Fact]
    public async Task Scans_and_redemptions_name_the_backends_member_id_and_the_program()
    {
        await using var factory = await TemplateZips.StartAppAsync(TwoPrograms.Settings());
        using var backend = factory.CreateBackendClient();
        await TwoPrograms.AddSecondProgramAsync(backend);
        var (memberId, defaultBarcode, secondBarcode) = await TwoPrograms.SameMemberInBothAsync(factory, backend);
        using var staff = factory.CreateStaffClient();

        await StaffTesting.ValidateOkAsync(staff, defaultBarcode);
        await StaffTesting.ValidateOkAsync(staff, secondBarcode);
        using var redeem = new HttpRequestMessage(HttpMethod.Post, "/api/redemptions") { Content = JsonContent.Create(new { barcode = secondBarcode, points = 250 }) };
        redeem.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Accepted, (await staff.SendAsync(redeem)).StatusCode);

        var queue = await TwoPrograms.ActivityQueueAsync(factory);
        var activities = await StaffTesting.ActivitiesAsync(queue, activity => activity.GetProperty("memberId").GetString() == memberId, expected: 3);

        var scans = activities.Where(a => a.GetProperty("type").GetString() == "pass.scanned").ToArray();
        Assert.Equal(["default", "second"], scans.Select(scan => scan.GetProperty("programId").GetString()).Order(StringComparer.Ordinal));
        var requested = Assert.Single(activities, a => a.GetProperty("type").GetString() == "points.redemption.requested");
        Assert.Equal("second", requested.GetProperty("programId").GetString());
        Assert.Equal(250, requested.GetProperty("points").GetInt64());
    }
}
