using Microsoft.Extensions.Options;
using WalletPasses.Jobs;

namespace WalletPasses.Popups;

/// <summary>
/// Notices, without any request, a pop-up of the program becoming announced, opening or closing (the clock moving
/// it in or out of what passes carry), and makes the change: a new carried revision and its re-issue
/// (<see cref="CarriedPopups.RefreshAsync"/>). One partition read per run when nothing changed.
/// </summary>
public sealed class PopupTransitionsJob(CarriedPopups carried, IOptions<WalletPassesOptions> options) : IPeriodicJob
{
    /// <summary>Every 30 seconds (NCRONTAB with seconds): passes follow a pop-up's opening or closing within about a minute.</summary>
    public const string Schedule = "*/30 * * * * *";

    public string Name => "PopupTransitions";

    public TimeSpan StandaloneInterval => TimeSpan.FromSeconds(30);

    public Task RunOnceAsync(CancellationToken cancellationToken) => carried.RefreshAsync(options.Value.ProgramId, cancellationToken);
}
