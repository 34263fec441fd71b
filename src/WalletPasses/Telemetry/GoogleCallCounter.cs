namespace WalletPasses.Telemetry;

/// <summary>
/// Counts every request the Google Wallet client sends, by the status Google answered (or the failure when none
/// came). It sits innermost in the client's pipeline, so each retry attempt is one request, as Google counts them.
/// </summary>
internal sealed class GoogleCallCounter(WalletPassesTelemetry telemetry) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            telemetry.GoogleResponded(response.StatusCode);
            return response;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            telemetry.GoogleFailed(e);
            throw;
        }
    }
}
