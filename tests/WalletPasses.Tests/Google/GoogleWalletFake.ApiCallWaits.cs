namespace WalletPasses.Tests.Google;

/// <summary>
/// What a test waits on instead of a fixed time when it proves something did not happen: a Wallet API call arriving,
/// and the fake holding no call any more (each one received was answered, or ended because its client left). A fixed
/// wait is too short on a busy machine (the test passes without having looked) or needlessly slow on an idle one.
/// </summary>
public sealed partial class GoogleWalletFake
{
    private readonly List<(Func<RecordedRequest, bool> Matches, TaskCompletionSource<RecordedRequest> Arrived)> _arrivalWaits = [];
    private readonly List<TaskCompletionSource> _noCallInFlightWaits = [];
    private int _apiCallsInFlight;

    /// <summary>
    /// Completes with the next Wallet API call (from now on) that <paramref name="matches"/> (any, without), recorded as
    /// it arrives, before Google acts on it or <see cref="HoldNext"/> holds it.
    /// </summary>
    public Task<RecordedRequest> NextApiCallArrives(Func<RecordedRequest, bool>? matches = null)
    {
        var arrived = new TaskCompletionSource<RecordedRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _arrivalWaits.Add((matches ?? (_ => true), arrived));
        }

        return arrived.Task;
    }

    /// <summary>
    /// Completes once the fake has no Wallet API call in hand: each one received so far was answered, or ended because its
    /// client closed the connection (a hanging or held call whose caller gave up).
    /// </summary>
    public Task WhenNoApiCallInFlight()
    {
        lock (_gate)
        {
            if (_apiCallsInFlight == 0)
            {
                return Task.CompletedTask;
            }

            var idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _noCallInFlightWaits.Add(idle);
            return idle.Task;
        }
    }

    private static bool IsApiCall(RecordedRequest request) => request.Path.StartsWith(ApiPath, StringComparison.Ordinal);

    private void ApiCallArrived(RecordedRequest request)
    {
        List<TaskCompletionSource<RecordedRequest>> arrived;
        lock (_gate)
        {
            _requests.Add(request);
            _apiCallsInFlight++;
            arrived = [.. _arrivalWaits.Where(wait => wait.Matches(request)).Select(wait => wait.Arrived)];
            _arrivalWaits.RemoveAll(wait => arrived.Contains(wait.Arrived));
        }

        foreach (var wait in arrived)
        {
            wait.TrySetResult(request);
        }
    }

    private void ApiCallEnded()
    {
        List<TaskCompletionSource> idle = [];
        lock (_gate)
        {
            if (--_apiCallsInFlight == 0)
            {
                idle = [.. _noCallInFlightWaits];
                _noCallInFlightWaits.Clear();
            }
        }

        foreach (var wait in idle)
        {
            wait.TrySetResult();
        }
    }
}
