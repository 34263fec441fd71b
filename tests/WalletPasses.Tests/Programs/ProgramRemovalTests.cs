using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;
using WalletPasses.Tests.Publishing;

namespace WalletPasses.Tests.Programs;

/// <summary>
/// An operator retires a brand by removing its Pass Type ID certificate from the settings
/// (<c>WalletPasses:Apple:PassTypeCertificates:{name}</c>) and redeploying; its members' passes stay on phones, and a
/// phone may hold passes of both brands. Devices keep speaking Apple's PassKit web service (Wallet Developer Guide,
/// "PassKit Web Service Reference": GET /v1/devices/{deviceLibraryIdentifier}/registrations/{passTypeIdentifier}
/// answers 200 with the serial numbers or 204 when none changed; GET /v1/passes/{passTypeIdentifier}/{serialNumber}
/// answers the pass, 401 for a request that is not authorized, "otherwise, the appropriate standard HTTP status").
/// The other brand's passes on the same phone must keep updating, and the retired brand's get a 4xx, never a 500;
/// staff scanning one are told it is not a pass of this deployment (<c>unknown</c>), never a 500.
/// </summary>
public sealed class ProgramRemovalTests
{
    [Fact]
    public async Task After_a_programs_certificate_is_removed_a_phone_holding_passes_of_both_programs_keeps_updating_the_other_one()
    {
        await using var before = await TwoPrograms.StartAsync();
        using var backend = before.CreateBackendClient();
        var both = await TwoPrograms.InstallBothAsync(before, backend);
        var (defaultPass, secondPass) = (both.DefaultPass, both.SecondPass);
        var phone = new SimulatedDevice(before);
        Assert.Equal(HttpStatusCode.Created, (await phone.RegisterAsync(defaultPass)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await phone.RegisterAsync(secondPass)).StatusCode);

        // The same storage, redeployed without the second program's certificate.
        await using var after = await TemplateZips.StartAppAsync(new Dictionary<string, string?> { ["WalletPasses:Storage:NamePrefix"] = before.StoragePrefix });
        var samePhone = new SimulatedDevice(after) { Id = phone.Id, PushToken = phone.PushToken };

        var (changed, _) = await samePhone.ListChangedAsync(defaultPass);
        Assert.Equal([defaultPass.SerialNumber], changed);
        Assert.Equal(HttpStatusCode.OK, (await samePhone.FetchPassAsync(defaultPass)).StatusCode);

        var retiredFetch = await samePhone.FetchPassAsync(secondPass);
        var retiredList = await samePhone.ListAsync(secondPass);
        Assert.InRange((int)retiredFetch.StatusCode, 400, 499);
        Assert.InRange((int)retiredList.StatusCode, 400, 499);

        // Staff scanning a retired program's pass are told it is not a pass they can accept; nothing is redeemed.
        using var staff = after.CreateStaffClient();
        var scan = await StaffTesting.ValidateAsync(staff, both.SecondBarcode);
        Assert.Equal(HttpStatusCode.OK, scan.StatusCode);
        var verdict = await scan.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(verdict.GetProperty("valid").GetBoolean());
        Assert.Equal("unknown", verdict.GetProperty("reason").GetString());
    }
}
