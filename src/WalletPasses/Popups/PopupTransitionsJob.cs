using WalletPasses.Jobs;
using WalletPasses.Programs;

namespace WalletPasses.Popups;

/// <summary>
/// Notices, without any request, a pop-up of any program becoming announced, opening or closing (the clock moving
/// it in or out of what passes carry), and makes the change: a new carried revision and its re-issue
/// (<see cref="CarriedPopups.RefreshAsync"/>). One partition read per program and run when nothing changed.
/// </summary>
public sealed class PopupTransitionsJob(CarriedPopups carried, ProgramRegistry programs) : IPeriodicJob
{
    /// <summary>Every 30 seconds (NCRONTAB with seconds): passes follow a pop-up's opening or closing within about a minute.</summary>
    public const string Schedule = "*/30 * * * * *";

    public string Name => "PopupTransitions";

    public TimeSpan StandaloneInterval => TimeSpan.FromSeconds(30);

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        foreach (var program in await programs.AllAsync(cancellationToken))
        {
            await carried.RefreshAsync(program.Id, cancellationToken);
        }
    }
}
