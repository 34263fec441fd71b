using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using WalletPasses.Backend;
using WalletPasses.Events;
using WalletPasses.Members;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.OpenApi;

/// <summary>
/// README's "Calling it from a loyalty backend": the curl calls, run against the real app, do what the README
/// says, and the JSON they and the HttpClient example send uses only properties of the document's request schemas.
/// </summary>
public sealed partial class ReadmeExampleTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string ReadmeMemberId = "m-42";

    [Fact]
    public async Task The_readmes_backend_calls_match_the_document_and_update_the_member()
    {
        var section = Section();
        var document = new OpenApiDocument(JsonDocument.Parse(await app.Factory.CreateClient().GetStringAsync(new Uri(OpenApiDocument.Route, UriKind.Relative))).RootElement);
        var memberId = TestMembers.NewId();
        using var backend = app.Factory.CreateBackendClient();

        var calls = CurlWithBody().Matches(section);
        Assert.Equal(["PUT", "POST"], calls.Select(call => call.Groups["method"].Value));
        foreach (Match call in calls)
        {
            var method = call.Groups["method"].Value;
            var body = call.Groups["body"].Value.Replace(ReadmeMemberId, memberId, StringComparison.Ordinal);
            Assert.All(JsonDocument.Parse(body).RootElement.EnumerateObject(), property => Assert.Contains(property.Name, RequestProperties(document, method)));

            var path = call.Groups["path"].Value.Replace(ReadmeMemberId, memberId, StringComparison.Ordinal);
            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)) { Content = TestMembers.Json(body) };
            var response = await backend.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        var points = long.Parse(PointsAfterEvent().Match(section).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var member = await TestMembers.WaitForAsync(backend, memberId, m => m.GetProperty("points").GetInt64() == points);
        Assert.Equal("Jane Doe", member.GetProperty("displayName").GetString());

        var csharp = CSharpBlock().Match(section).Groups[1].Value;

        // Compiles as a console project's Program.cs (implicit usings only): PutAsJsonAsync and JsonElement need these.
        Assert.StartsWith("using System.Net.Http.Json;\nusing System.Text.Json;\n", csharp, StringComparison.Ordinal);
        foreach (Match body in AnonymousBody().Matches(csharp))
        {
            var method = body.Groups["call"].Value == "Put" ? "PUT" : "POST";
            Assert.All(PropertyName().Matches(body.Groups["body"].Value).Select(name => name.Groups[1].Value),
                name => Assert.Contains(name, RequestProperties(document, method)));
        }
    }

    private static IReadOnlyList<string> RequestProperties(OpenApiDocument document, string method)
    {
        var schema = method == "PUT" ? document.RequestSchema("PUT", MembersApi.MemberRoute) : document.RequestSchema("POST", LoyaltyEventsApi.EventsRoute);
        return OpenApiDocument.PropertyNames(schema.TryGetProperty("oneOf", out var oneOf) ? document.Resolve(oneOf[0]) : schema);
    }

    private static string Section()
    {
        var readme = File.ReadAllText(RepositoryPaths.Combine("README.md"));
        var start = readme.IndexOf("### Calling it from a loyalty backend", StringComparison.Ordinal);
        Assert.True(start >= 0, "README has no section 'Calling it from a loyalty backend'");
        var end = readme.IndexOf("\n## ", start, StringComparison.Ordinal); // the next heading (the code's "# ->" comments are not)
        return readme[start..(end < 0 ? readme.Length : end)];
    }

    [GeneratedRegex(@"curl -X (?<method>PUT|POST) http://localhost:7071(?<path>/\S+)[^']*?-d '(?<body>[^']*)'", RegexOptions.Singleline)]
    private static partial Regex CurlWithBody();

    [GeneratedRegex(@"""points"":(\d+)")]
    private static partial Regex PointsAfterEvent();

    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"(?<call>Put|Post)AsJsonAsync\(""[^""]*"", new\s*\{(?<body>[^}]*)\}", RegexOptions.Singleline)]
    private static partial Regex AnonymousBody();

    [GeneratedRegex(@"(\w+) =")]
    private static partial Regex PropertyName();
}
