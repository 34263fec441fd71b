using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Staff;

/// <summary>The app with the points webhook pointing at a local receiver that fails twice before accepting.</summary>
public sealed class WebhookFixture : AppFixture, IDisposable
{
    public const string Secret = "test-webhook-secret-0123456789-0123456789";

    public WebhookReceiver Receiver { get; } = new(failuresBeforeSuccess: 2);

    protected override IDictionary<string, string?>? SettingOverrides => new Dictionary<string, string?>
    {
        ["WalletPasses:Staff:PointsWebhookUrl"] = Receiver.Url.AbsoluteUri,
        ["WalletPasses:Staff:PointsWebhookSecret"] = Secret,
        ["WalletPasses:Staff:PointsWebhookRetryDelay"] = "00:00:00.050",
    };

    public void Dispose() => Receiver.Dispose();
}
