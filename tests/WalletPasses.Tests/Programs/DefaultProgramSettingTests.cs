using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WalletPasses.Storage;
using WalletPasses.Tests.Infrastructure;
using WalletPasses.Tests.Publishing;

namespace WalletPasses.Tests.Programs;

/// <summary>
/// The default program (<c>WalletPasses:ProgramId</c>) owns the members stored under their bare ids. An operator who
/// changes it on a running deployment's storage (to rename the brand, or to make another brand the default) would
/// silently hand the old default program's members, passes and balances to the new id; one whose new default id
/// carries the barcode tag of a program added at run time would let a limited staff device accept the other's passes
/// offline. Start-up refuses both, naming the setting, and does not serve.
/// </summary>
public sealed class DefaultProgramSettingTests
{
    // Two program ids whose SHA-256 begins with the same 4 bytes (as in ProgramTagCollisionTests).
    private const string FirstBrand = "brand-64174";
    private const string CollidingBrand = "brand-78693";

    [Fact]
    public async Task A_changed_default_program_on_the_same_storage_stops_start_up_naming_the_setting_and_the_storages_default()
    {
        await using var before = await TemplateZips.StartAppAsync();
        var memberId = TestMembers.NewId();
        using var backend = before.CreateBackendClient();
        Assert.Equal(HttpStatusCode.Created, (await TwoPrograms.PutMemberAsync(backend, $"/api/members/{memberId}", "Default Dana", 100)).StatusCode);

        var refusal = await StartRefusedAsync(before.StoragePrefix, "brand2");

        Assert.Contains("WalletPasses:ProgramId is 'brand2'", refusal, StringComparison.Ordinal);
        Assert.Contains("Set WalletPasses:ProgramId=default", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_default_program_whose_barcode_tag_a_program_of_the_storage_carries_stops_start_up_naming_both()
    {
        await using var before = await TemplateZips.StartAppAsync();
        using var backend = before.CreateBackendClient();
        var draft = await TemplateZips.ChangedAsync(backend, template => template["programId"] = FirstBrand);
        Assert.Equal(HttpStatusCode.NoContent, (await TemplateZips.UploadAsync(backend, draft, $"/api/programs/{FirstBrand}/template")).StatusCode);
        // Storage of a release from before the default program was recorded: only the tag can be checked.
        var azurite = await AzuriteServer.Shared;
        await azurite.Tables.GetTableClient(before.StoragePrefix + StorageNames.ProgramsTable).DeleteEntityAsync(TableRows.Programs.DeploymentPartition, TableRows.Programs.DefaultProgramRow);

        var refusal = await StartRefusedAsync(before.StoragePrefix, CollidingBrand);

        Assert.Contains($"WalletPasses:ProgramId '{CollidingBrand}'", refusal, StringComparison.Ordinal);
        Assert.Contains(FirstBrand, refusal, StringComparison.Ordinal);
    }

    /// <summary>Starts the app over <paramref name="storagePrefix"/> with <paramref name="programId"/> as default program; the critical line it stops with.</summary>
    private static async Task<string> StartRefusedAsync(string storagePrefix, string programId)
    {
        var log = new LogCapture();
        await using var after = new WalletPassesFactory(
            (await AzuriteServer.Shared).ConnectionString,
            new Dictionary<string, string?> { ["WalletPasses:Storage:NamePrefix"] = storagePrefix, ["WalletPasses:ProgramId"] = programId })
        {
            ConfigureTestServices = services => services.AddSingleton<ILoggerProvider>(log),
        };
        try
        {
            _ = after.Services; // starts the host: storage set-up runs off the start-up path
        }
        catch (ObjectDisposedException)
        {
            // The refusal stopped the host before the factory handed it over: what this test expects.
        }

        await Eventually.HoldsAsync(() => Task.FromResult(log.Lines.Any(line => line.StartsWith("Critical", StringComparison.Ordinal))), "start-up stops with a critical line");
        return log.Lines.First(line => line.StartsWith("Critical", StringComparison.Ordinal));
    }
}
