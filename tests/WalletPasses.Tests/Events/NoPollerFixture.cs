using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Events;

/// <summary>The app with its own poller off, so a test decides exactly which messages one batch holds.</summary>
public sealed class NoPollerFixture : AppFixture
{
    protected override IDictionary<string, string?>? SettingOverrides => new Dictionary<string, string?>
    {
        ["WalletPasses:Events:PollQueue"] = "false",
    };
}
