using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Apple;

/// <summary>A pass installed on an iPhone whose update has been pushed: the APNs emulator answered the push as told.</summary>
public sealed record PushedPass(InstalledPass Pass, SimulatedDevice IPhone)
{
    /// <summary>Issues a pass, registers an iPhone for it, changes its points and waits until APNs got the push (answered with <paramref name="reply"/>).</summary>
    public static async Task<PushedPass> ChangeAsync(WalletPassesFactory factory, long points, ApnsReply? reply = null)
    {
        var pass = await InstalledPass.IssueAsync(factory);
        var iphone = new SimulatedDevice(factory);
        await iphone.RegisterAsync(pass);
        if (reply is not null)
        {
            SharedApns.Emulator.RespondToToken(iphone.PushToken, reply);
        }

        await pass.SetPointsAsync(factory, points);
        await Eventually.HoldsAsync(() => SharedApns.Emulator.Pushes.Any(push => push.PushToken == iphone.PushToken), "the push reached APNs");
        return new PushedPass(pass, iphone);
    }

    /// <summary>The last push to the iPhone as the emulator saw it.</summary>
    public RecordedPush LastPush => SharedApns.Emulator.Pushes.Last(push => push.PushToken == IPhone.PushToken);
}
