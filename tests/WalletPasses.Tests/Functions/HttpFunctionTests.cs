using System.Text.Json;
using WalletPasses.Functions;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Functions;

/// <summary>
/// HTTP functions invoked as the isolated worker's ASP.NET Core integration invokes them (an HttpRequest in,
/// an IResult out; azure-functions-dotnet-worker, extensions/Worker.Extensions.Http.AspNetCore): they answer
/// as the standalone host's endpoints do, over the same storage.
/// </summary>
public sealed class HttpFunctionTests(FunctionsAppFixture functions) : IClassFixture<FunctionsAppFixture>
{
    private const string Backend = "Bearer " + WalletPassesFactory.BackendKey;

    [Fact]
    public async Task A_member_created_through_the_function_is_the_member_the_standalone_host_serves()
    {
        var memberId = TestMembers.NewId();
        var members = functions.Function<MemberFunctions>();

        var created = await functions.InvokeHttpAsync(members.PutMember, "PUT", $"/api/members/{memberId}",
            """{"displayName": "Jane Doe", "points": 1250, "tier": "gold"}""", Backend);

        Assert.Equal(201, created.StatusCode);
        Assert.Equal(memberId, JsonDocument.Parse(created.Body).RootElement.GetProperty("memberId").GetString());
        var served = await TestMembers.GetAsync(functions.Standalone.Factory.CreateBackendClient(), memberId);
        Assert.Equal(1250, served!.Value.GetProperty("points").GetInt64());

        var read = await functions.InvokeHttpAsync(members.GetMember, "GET", $"/api/members/{memberId}", authorization: Backend);
        Assert.Equal(200, read.StatusCode);
        Assert.Equal("gold", JsonDocument.Parse(read.Body).RootElement.GetProperty("tier").GetString());
    }

    [Fact]
    public async Task A_function_refuses_a_caller_without_a_key_with_problem_details_as_the_standalone_host_does()
    {
        var members = functions.Function<MemberFunctions>();

        var response = await functions.InvokeHttpAsync(members.GetMember, "GET", $"/api/members/{TestMembers.NewId()}");

        Assert.Equal(401, response.StatusCode);
    }

    [Fact]
    public async Task Bad_input_through_a_function_is_a_4xx_problem_and_nothing_is_stored()
    {
        var members = functions.Function<MemberFunctions>();
        var memberId = TestMembers.NewId();

        var response = await functions.InvokeHttpAsync(members.PutMember, "PUT", $"/api/members/{memberId}", """{"displayName": 5}""", Backend);

        Assert.Equal(400, response.StatusCode);
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
        Assert.Null(await TestMembers.GetAsync(functions.Standalone.Factory.CreateBackendClient(), memberId));
    }

    [Fact]
    public async Task Health_answers_through_its_function()
    {
        var response = await functions.InvokeHttpAsync(functions.Function<PlatformFunctions>().Health, "GET", "/api/health");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("ok", JsonDocument.Parse(response.Body).RootElement.GetProperty("status").GetString());
    }

    /// <summary>Apple's "Get the List of Updatable Passes": 204 when the device has no passes of that type (the default template's pass type).</summary>
    [Fact]
    public async Task Apples_web_service_answers_through_its_functions()
    {
        var apple = functions.Function<AppleFunctions>();

        var response = await functions.InvokeHttpAsync(apple.ListUpdatedPasses, "GET",
            "/api/passkit/v1/devices/0123456789abcdef0123456789abcdef/registrations/pass.dev.walletpasses.northwind");

        Assert.Equal(204, response.StatusCode);
    }

    [Fact]
    public async Task A_route_of_a_feature_that_is_off_answers_404_problem_details()
    {
        // Google Wallet is not configured for this app: the standalone host maps no Google route either.
        var response = await functions.InvokeHttpAsync(functions.Function<GoogleFunctions>().SaveToGoogleWallet, "GET", "/api/google/save/abc");

        Assert.Equal(404, response.StatusCode);
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
    }

    /// <summary>
    /// The host takes a request only for a function whose route and methods match it (Azure/azure-functions-host,
    /// WebScriptHostHttpRoutesManager: the trigger's methods become an HTTP method route constraint), so a wrong method on
    /// a known route reaches no route function but the catch-all, which answers it as the standalone host's routing does.
    /// </summary>
    [Theory]
    [InlineData("POST", "/api/members/m-42")]
    [InlineData("PATCH", "/api/loyalty-events")]
    [InlineData("GET", "/api/validations")]
    public async Task A_method_its_route_does_not_take_is_405_with_allow_and_problem_details_as_standalone(string method, string path)
    {
        var response = await functions.InvokeHttpAsync(functions.Function<UnmatchedRequestFunctions>().Unmatched, method, path, authorization: Backend);

        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.TryAddWithoutValidation("Authorization", Backend);
        using var standalone = await functions.Standalone.Factory.CreateClient().SendAsync(request);
        Assert.Equal(405, (int)standalone.StatusCode);
        Assert.Equal(405, response.StatusCode);
        Assert.Equal(Methods(string.Join(", ", standalone.Content.Headers.Allow)), Methods(response.Allow));
        Assert.Equal(standalone.Content.Headers.ContentType?.MediaType, response.ContentType?.Split(';')[0]);
        var problem = JsonDocument.Parse(response.Body).RootElement;
        var standaloneProblem = JsonDocument.Parse(await standalone.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(standaloneProblem.GetProperty("title").GetString(), problem.GetProperty("title").GetString());
        Assert.Equal(405, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("traceId", out _));
    }

    [Fact]
    public async Task A_path_the_api_does_not_have_is_404_problem_details_as_standalone()
    {
        var response = await functions.InvokeHttpAsync(functions.Function<UnmatchedRequestFunctions>().Unmatched, "GET", "/api/no-such-route/x");

        Assert.Equal(404, response.StatusCode);
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
        Assert.Null(response.Allow);
    }

    /// <summary>Should the host hand the catch-all a request a route takes, that route answers it, not a 405.</summary>
    [Fact]
    public async Task The_catch_all_serves_a_request_its_route_takes_through_that_route()
    {
        var response = await functions.InvokeHttpAsync(functions.Function<UnmatchedRequestFunctions>().Unmatched, "GET", "/api/health");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("ok", JsonDocument.Parse(response.Body).RootElement.GetProperty("status").GetString());
    }

    private static string[] Methods(string? allow) =>
        [.. (allow ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];
}
