using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Popups;

/// <summary>
/// Pop-ups on passes end to end, over Azurite, the real HTTP stack, the APNs emulator and the Google Wallet fake:
/// a change reaches passes through the bulk re-issue (each device pushed once per change) and the delivery trace
/// records the pushes; Apple passes carry <c>locations</c> with <c>relevantText</c>
/// (https://developer.apple.com/documentation/walletpasses/pass), Google objects <c>merchantLocations</c>
/// (https://developers.google.com/wallet/reference/rest/v1/MerchantLocation; the fake refuses more than 10, as Google does).
/// Devices fetch as Apple's PassKit web service has them ("Get an Updated Pass", Last-Modified / If-Modified-Since).
/// </summary>
public sealed class PopupPassTests
{
    [Fact]
    public async Task Announcing_a_pop_up_puts_it_on_the_apple_pass_and_google_object_and_withdrawing_it_removes_it_through_traced_pushes()
    {
        await using var app = await PopupApp.StartAsync();
        var (pass, device) = await app.MemberWithDeviceAsync();
        await app.GoogleObjectAsync(pass.MemberId);
        var before = await device.FetchPassAsync(pass);
        var beforeModified = before.Content.Headers.LastModified;
        app.Factory.Time.Advance(TimeSpan.FromSeconds(2));

        // Opens in two hours: announced now (AnnounceBefore is a day).
        var created = await app.CreatePopupAsync(PopupApp.PopupJson(app.Factory.Time.GetUtcNow().AddHours(2)));
        Assert.Equal("announced", created.GetProperty("phase").GetString());
        Assert.Equal(0, PopupApp.PushesTo(device)); // nothing per member on the request path
        await app.RunReissueAsync();

        Assert.Equal(1, PopupApp.PushesTo(device));
        var (changed, _) = await device.ListChangedAsync(pass, tag: null);
        Assert.Contains(pass.SerialNumber, changed);
        var stale = await device.FetchPassAsync(pass, ifModifiedSince: beforeModified);
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode); // not a 304: only the pop-ups changed, and the pass did
        var passJson = await PopupApp.FetchedPassJsonAsync(device, pass);
        var location = passJson.GetProperty("locations").EnumerateArray().Single();
        Assert.Equal(52.5219, location.GetProperty("latitude").GetDouble());
        Assert.Equal(13.4132, location.GetProperty("longitude").GetDouble());
        Assert.Equal("Berlin pop-up is around the corner", location.GetProperty("relevantText").GetString());
        Assert.False(passJson.TryGetProperty("relevantDate", out _)); // a store card is relevant by location only
        Assert.Contains("Alexanderplatz 1", passJson.GetProperty("storeCard").GetProperty("backFields").EnumerateArray()
            .Single(f => f.GetProperty("key").GetString() == "popups").GetProperty("value").GetString(), StringComparison.Ordinal);
        var googleObject = await app.GoogleObjectWithLocationsAsync(pass.MemberId, 1);
        Assert.Equal(52.5219, googleObject["merchantLocations"]![0]!["latitude"]!.GetValue<double>());
        var report = await app.DeliveryAsync(pass.MemberId);
        var version = report.GetProperty("version").GetInt64();
        Assert.Contains(report.GetProperty("timeline").EnumerateArray(), e =>
            e.GetProperty("kind").GetString() == "push" && e.GetProperty("device").GetString() == device.Id && e.GetProperty("version").GetInt64() == version);

        // Withdrawn: every pass loses it, again through one push per device.
        app.Factory.Time.Advance(TimeSpan.FromSeconds(2));
        var deleted = await app.Backend.DeleteAsync($"/api/popups/{created.GetProperty("id").GetString()}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await app.RunReissueAsync();

        Assert.Equal(2, PopupApp.PushesTo(device));
        Assert.Empty(PopupApp.RelevantTexts(await PopupApp.FetchedPassJsonAsync(device, pass)));
        await app.GoogleObjectWithLocationsAsync(pass.MemberId, 0);
        var afterWithdrawal = await app.DeliveryAsync(pass.MemberId);
        Assert.True(afterWithdrawal.GetProperty("version").GetInt64() > version);
        Assert.Contains(afterWithdrawal.GetProperty("timeline").EnumerateArray(), e =>
            e.GetProperty("kind").GetString() == "push" && e.GetProperty("version").GetInt64() == afterWithdrawal.GetProperty("version").GetInt64());
        Assert.Empty(app.Google.SchemaErrors);
    }

    [Fact]
    public async Task The_clock_alone_announces_opens_and_closes_a_pop_up_through_the_host_triggered_job()
    {
        await using var app = await PopupApp.StartAsync();
        var (pass, device) = await app.MemberWithDeviceAsync();
        var opensAt = app.Factory.Time.GetUtcNow().AddDays(3);

        var created = await app.CreatePopupAsync(PopupApp.PopupJson(opensAt));
        Assert.Equal("scheduled", created.GetProperty("phase").GetString());
        await app.RunReissueAsync();
        Assert.Equal(0, PopupApp.PushesTo(device)); // not announced yet: no pass changes

        app.Factory.Time.Advance(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1)); // within a day of opening
        await app.RunTransitionsAsync();
        await app.RunReissueAsync();
        Assert.Equal(1, PopupApp.PushesTo(device));
        Assert.Single(PopupApp.RelevantTexts(await PopupApp.FetchedPassJsonAsync(device, pass)));

        app.Factory.Time.Advance(TimeSpan.FromDays(1)); // open: passes carry it already, nothing to push
        await app.RunTransitionsAsync();
        await app.RunReissueAsync();
        Assert.Equal(1, PopupApp.PushesTo(device));

        app.Factory.Time.Advance(TimeSpan.FromHours(8)); // closed
        await app.RunTransitionsAsync();
        await app.RunTransitionsAsync(); // a second look (another instance's timer) starts nothing new
        await app.RunReissueAsync();
        Assert.Equal(2, PopupApp.PushesTo(device));
        Assert.Empty(PopupApp.RelevantTexts(await PopupApp.FetchedPassJsonAsync(device, pass)));
    }

    [Fact]
    public async Task A_tier_limited_pop_up_reaches_only_members_of_its_tiers()
    {
        await using var app = await PopupApp.StartAsync();
        var (gold, goldDevice) = await app.MemberWithDeviceAsync("gold");
        var (platinum, platinumDevice) = await app.MemberWithDeviceAsync("platinum");

        await app.CreatePopupAsync(PopupApp.PopupJson(app.Factory.Time.GetUtcNow().AddHours(1), tiers: """["platinum"]""", name: "Members lounge"), "/api/programs/default/popups");
        await app.RunReissueAsync();

        Assert.Equal(1, PopupApp.PushesTo(platinumDevice));
        Assert.Equal(["Members lounge is around the corner"], PopupApp.RelevantTexts(await PopupApp.FetchedPassJsonAsync(platinumDevice, platinum)));
        Assert.Equal(0, PopupApp.PushesTo(goldDevice)); // the gold pass does not change, so its device is not woken
        Assert.Empty(PopupApp.RelevantTexts(await PopupApp.FetchedPassJsonAsync(goldDevice, gold)));
    }

    [Fact]
    public async Task A_member_who_joins_while_a_pop_up_is_carried_gets_it_on_the_first_pass_and_google_object()
    {
        await using var app = await PopupApp.StartAsync();
        await app.CreatePopupAsync(PopupApp.PopupJson(app.Factory.Time.GetUtcNow().AddHours(1)));
        await app.RunReissueAsync();

        var (pass, device) = await app.MemberWithDeviceAsync();

        Assert.Equal(["Berlin pop-up is around the corner"], PopupApp.RelevantTexts(await PopupApp.FetchedPassJsonAsync(device, pass)));
        await app.GoogleObjectWithLocationsAsync(pass.MemberId, 1);
    }

    [Fact]
    public async Task With_more_than_ten_pop_ups_a_pass_carries_the_ten_soonest_on_apple_and_google()
    {
        await using var app = await PopupApp.StartAsync();
        var (pass, device) = await app.MemberWithDeviceAsync();
        var now = app.Factory.Time.GetUtcNow();
        for (var i = 0; i < 12; i++)
        {
            await app.CreatePopupAsync(PopupApp.PopupJson(now.AddHours(12 - i), latitude: 52.50 + (i / 100.0), name: $"Pop-up {i:00}"));
        }

        await app.RunReissueAsync();

        Assert.Equal(1, PopupApp.PushesTo(device)); // twelve changes while nothing ran: one re-issue to the latest, one push
        var texts = PopupApp.RelevantTexts(await PopupApp.FetchedPassJsonAsync(device, pass));
        Assert.Equal(10, texts.Length);
        Assert.Equal("Pop-up 11 is around the corner", texts[0]); // opens first
        Assert.DoesNotContain("Pop-up 00 is around the corner", texts);
        Assert.DoesNotContain("Pop-up 01 is around the corner", texts);
        await app.GoogleObjectWithLocationsAsync(pass.MemberId, 10);
        Assert.Empty(app.Google.SchemaErrors);
    }

    [Fact]
    public async Task Pop_ups_can_be_read_changed_and_listed_and_bad_input_gets_problem_details()
    {
        await using var app = await PopupApp.StartAsync();
        var opensAt = app.Factory.Time.GetUtcNow().AddDays(5);
        var created = await app.CreatePopupAsync(PopupApp.PopupJson(opensAt));
        var id = created.GetProperty("id").GetString()!;

        var read = await app.Backend.GetFromJsonAsync<JsonElement>($"/api/programs/default/popups/{id}");
        Assert.Equal("Berlin pop-up", read.GetProperty("name").GetString());
        var updated = await app.Backend.PutAsync($"/api/popups/{id}", TestMembers.Json(PopupApp.PopupJson(opensAt, name: "Berlin pop-up II")));
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var list = await app.Backend.GetFromJsonAsync<JsonElement>("/api/popups");
        Assert.Equal("Berlin pop-up II", list.GetProperty("popups").EnumerateArray().Single().GetProperty("name").GetString());

        var badCoordinates = await app.Backend.PostAsync("/api/popups", TestMembers.Json(PopupApp.PopupJson(opensAt, latitude: 91)));
        Assert.Equal(HttpStatusCode.BadRequest, badCoordinates.StatusCode);
        Assert.Equal("application/problem+json", badCoordinates.Content.Headers.ContentType?.MediaType);
        Assert.True((await badCoordinates.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("latitude", out _));
        var backwards = JsonNode.Parse(PopupApp.PopupJson(opensAt))!;
        backwards["closesAt"] = opensAt.AddHours(-1).ToString("O");
        var closesFirst = await app.Backend.PostAsync("/api/popups", TestMembers.Json(backwards.ToJsonString()));
        Assert.True((await closesFirst.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("closesAt", out _));
        // Without its offset an opening time would be read in the server's zone (RFC 3339 section 5.6 asks for one).
        var localOnly = JsonNode.Parse(PopupApp.PopupJson(opensAt))!;
        localOnly["opensAt"] = opensAt.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        var noOffset = await app.Backend.PostAsync("/api/popups", TestMembers.Json(localOnly.ToJsonString()));
        Assert.Equal(HttpStatusCode.BadRequest, noOffset.StatusCode);
        Assert.Contains("'opensAt': A date-time must carry its UTC offset", (await noOffset.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Backend.PostAsync("/api/popups", TestMembers.Json("""{"name": "x", "colour": "red"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Backend.PostAsync("/api/programs/other/popups", TestMembers.Json(PopupApp.PopupJson(opensAt)))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Backend.GetAsync("/api/popups/0123456789abcdef")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Backend.DeleteAsync("/api/popups/not-an-id")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Factory.CreateStaffClient().PostAsync("/api/popups", TestMembers.Json(PopupApp.PopupJson(opensAt)))).StatusCode);
        Assert.Single((await app.Backend.GetFromJsonAsync<JsonElement>("/api/popups")).GetProperty("popups").EnumerateArray());
    }

    [Fact]
    public async Task A_staff_scan_records_the_pop_up_the_staff_page_picked()
    {
        await using var app = await PopupApp.StartAsync();
        var created = await app.CreatePopupAsync(PopupApp.PopupJson(app.Factory.Time.GetUtcNow().AddHours(-1)));
        var popupId = created.GetProperty("id").GetString()!;
        using var staff = app.Factory.CreateStaffClient();
        var (memberId, barcode) = await StaffTesting.EnrolAsync(app.Factory, app.Backend);

        var current = await staff.GetFromJsonAsync<JsonElement>("/api/staff/popups");
        Assert.Equal(popupId, current.GetProperty("popups").EnumerateArray().Single().GetProperty("id").GetString());
        var scan = await staff.PostAsync("/api/validations", TestMembers.Json($$"""{"barcode": "{{barcode}}", "popupId": "{{popupId}}"}"""));
        var unknown = await staff.PostAsync("/api/validations", TestMembers.Json($$"""{"barcode": "{{barcode}}", "popupId": "0123456789abcdef"}"""));

        Assert.Equal(HttpStatusCode.OK, scan.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.True((await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("popupId", out _));
        var azurite = await AzuriteServer.Shared;
        var scans = azurite.Tables.GetTableClient(app.Factory.StoragePrefix + "scans").QueryAsync<Azure.Data.Tables.TableEntity>(Azure.Data.Tables.TableClient.CreateQueryFilter($"MemberId eq {memberId}"));
        var rows = new List<Azure.Data.Tables.TableEntity>();
        await foreach (var row in scans)
        {
            rows.Add(row);
        }

        Assert.Equal(popupId, Assert.Single(rows).GetString("PopupId"));
    }
}
