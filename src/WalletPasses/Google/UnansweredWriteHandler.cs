using System.Net;

namespace WalletPasses.Google;

/// <summary>
/// Innermost handler of the Google Wallet client: notes each write attempt (anything but a GET) that was sent and got no
/// definite answer (<see cref="UnansweredGoogleWrites"/>): none at all (given up on, connection dropped), or an answer
/// from a gateway or deadline rather than from the service: 408, 502 or 504 (DEADLINE_EXCEEDED "may be returned even if
/// the operation has completed successfully", https://cloud.google.com/bigtable/docs/status-codes, Google's shared
/// status codes). A 500 or 503 is the service's own answer that it did not carry the request out whole, and 429 a refusal.
/// </summary>
public sealed class UnansweredWriteHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Get)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout)
            {
                UnansweredGoogleWrites.Note();
            }

            return response;
        }
        catch
        {
            UnansweredGoogleWrites.Note();
            throw;
        }
    }
}
