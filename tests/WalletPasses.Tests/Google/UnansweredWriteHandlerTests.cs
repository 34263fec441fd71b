using System.Net;
using WalletPasses.Google;

namespace WalletPasses.Tests.Google;

/// <summary>
/// Which write attempts leave a Google sync unsure whether Google applied them or still will: those the sync then
/// keeps its write lease for (<see cref="GoogleWriteLease"/>). Status meanings from Google's shared status codes
/// (https://cloud.google.com/bigtable/docs/status-codes: DEADLINE_EXCEEDED "may be returned even if the operation has
/// completed successfully").
/// </summary>
public sealed class UnansweredWriteHandlerTests
{
    [Theory]
    [InlineData("PATCH", HttpStatusCode.GatewayTimeout, true)]
    [InlineData("PATCH", HttpStatusCode.BadGateway, true)]
    [InlineData("POST", HttpStatusCode.RequestTimeout, true)]
    [InlineData("PATCH", HttpStatusCode.OK, false)]
    [InlineData("PUT", HttpStatusCode.ServiceUnavailable, false)]
    [InlineData("PATCH", HttpStatusCode.InternalServerError, false)]
    [InlineData("POST", HttpStatusCode.TooManyRequests, false)]
    [InlineData("GET", HttpStatusCode.GatewayTimeout, false)]
    public async Task An_attempt_counts_as_unanswered_only_when_its_answer_does_not_say_what_Google_did(string method, HttpStatusCode status, bool unanswered)
    {
        var writes = UnansweredGoogleWrites.Track();

        using var response = await SendAsync(method, _ => Task.FromResult(new HttpResponseMessage(status)));

        Assert.Equal(unanswered, writes.Any);
    }

    [Fact]
    public async Task A_write_whose_connection_dropped_counts_as_unanswered_even_when_the_next_attempt_is_answered()
    {
        var writes = UnansweredGoogleWrites.Track();

        await Assert.ThrowsAsync<HttpRequestException>(() => SendAsync("PATCH", _ => throw new HttpRequestException("Connection reset by peer")));
        using var retried = await SendAsync("PATCH", _ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)));

        Assert.True(writes.Any);
    }

    [Fact]
    public async Task A_write_given_up_on_counts_as_unanswered_but_only_in_its_own_sync()
    {
        var otherSync = Task.Run(async () =>
        {
            var writes = UnansweredGoogleWrites.Track();
            using var answered = await SendAsync("PATCH", _ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)));
            return writes.Any;
        });
        var writes = UnansweredGoogleWrites.Track();

        await Assert.ThrowsAsync<TaskCanceledException>(() => SendAsync("PATCH", _ => throw new TaskCanceledException()));

        Assert.True(writes.Any);
        Assert.False(await otherSync);
    }

    private static async Task<HttpResponseMessage> SendAsync(string method, Func<HttpRequestMessage, Task<HttpResponseMessage>> answer)
    {
        using var invoker = new HttpMessageInvoker(new UnansweredWriteHandler { InnerHandler = new AnsweringHandler(answer) });
        using var request = new HttpRequestMessage(new HttpMethod(method), "https://walletobjects.googleapis.com/walletobjects/v1/loyaltyObject/3388000000012345678.member");
        return await invoker.SendAsync(request, default);
    }

    private sealed class AnsweringHandler(Func<HttpRequestMessage, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => answer(request);
    }
}
