using Microsoft.Extensions.Options;
using WalletPasses.Programs;

namespace WalletPasses.Activity;

/// <summary>Publishes pass activity events. Publishing never fails the caller: what happened has already been stored.</summary>
public sealed partial class PassActivity(PassActivityPublisher publisher, IOptions<WalletPassesOptions> options, TimeProvider time, ILogger<PassActivity> logger)
{
    /// <summary>Publishes an event about an Apple device, stamped now, for the stored member <paramref name="storageId"/>.</summary>
    public Task PublishAppleAsync(string type, string storageId, string serialNumber, string deviceLibraryIdentifier)
    {
        var member = ProgramMember.Of(storageId, options.Value.ProgramId);
        return PublishAsync(new PassActivityEvent(type, PassPlatforms.Apple, member.MemberId, serialNumber, time.GetUtcNow(), deviceLibraryIdentifier, Guid.NewGuid().ToString("N"))
        {
            ProgramId = member.ProgramId,
        });
    }

    public async Task PublishAsync(PassActivityEvent activity)
    {
        try
        {
            // Not the request's token: the change is stored, so a caller hanging up must not lose its event.
            await publisher.PublishAsync(activity, CancellationToken.None);
        }
#pragma warning disable CA1031 // whatever goes wrong with the queue, the device's call has succeeded
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogPublishFailed(logger, exception, activity.Type, activity.SerialNumber, activity.Id);
        }
    }

    [LoggerMessage(LogLevel.Error, "Could not publish {Type} for pass {SerialNumber} (event {EventId}) to the pass-activity queue")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string type, string serialNumber, string eventId);
}
