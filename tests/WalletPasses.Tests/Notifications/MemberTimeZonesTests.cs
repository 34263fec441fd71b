using WalletPasses.Notifications;

namespace WalletPasses.Tests.Notifications;

/// <summary>
/// A member's time zone is any string a client sends, looked up in the system's tzdata. On Linux .NET reads
/// /usr/share/zoneinfo/{id} (dotnet/runtime, TimeZoneInfo.Unix.cs, TryGetTimeZoneFromLocalMachine): an id naming
/// a directory there (tzdata groups zones in Europe/, America/Argentina/, ...) fails to read as a file
/// (UnauthorizedAccessException), which .NET turns into a <see cref="System.Security.SecurityException"/>, neither
/// "not found" nor "invalid".
/// </summary>
public sealed class MemberTimeZonesTests
{
    [Theory]
    [InlineData("Europe")]
    [InlineData("America/Argentina")]
    [InlineData("Etc")]
    [InlineData("../zoneinfo/Europe")]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("/etc")]
    [InlineData("W. Europe Standard Time")] // Windows ids: converted only through ICU, which the app runs without
    [InlineData("Eastern Standard Time")]
    public void An_id_that_is_no_zone_is_refused_without_an_exception(string id)
    {
        Assert.Null(MemberTimeZones.Find(id));
        Assert.NotNull(MemberTimeZones.Error(id));
    }

    [Theory]
    [InlineData("Europe/Berlin")]
    [InlineData("America/Argentina/Buenos_Aires")]
    [InlineData("Asia/Kathmandu")]
    [InlineData("UTC")]
    public void An_iana_id_is_a_zone(string id)
    {
        Assert.Equal(id, MemberTimeZones.Find(id)?.Id);
        Assert.Null(MemberTimeZones.Error(id));
    }
}
