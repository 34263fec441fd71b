using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;
using WalletPasses.Http;
using WalletPasses.Security;

namespace WalletPasses.OpenApi;

/// <summary>
/// Completes each generated operation from the endpoint's metadata (the key policy names the security scheme
/// and its 401; staff keys add 429 and 503; a rate limit adds 429; a backend key limited to programs adds 404), from <see cref="ApiOperationCatalog"/>
/// (summary, the JSON body read by the handler with its 400/413/415, headers it reads, the problems its
/// ProblemHttpResult stands for), and from the route (path parameters the handler does not bind itself).
/// Every operation may answer 503: every request waits for storage to be ready (StorageReadinessMiddleware).
/// </summary>
public sealed partial class OperationDescription : IOpenApiOperationTransformer
{
    public const string ProblemContentType = "application/problem+json";

    private static readonly ProblemAnswer ProgramOfBackendKey = new(404, "Unknown program: the backend key is limited to other programs (WalletPasses:ApiKeys:BackendPrograms; the unprefixed routes are the default program's).");

    private static readonly ProblemAnswer StorageDown = new(503, "Storage cannot be reached (or the service is still starting); try again after Retry-After.");

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var document = context.Document ?? throw new InvalidOperationException("Operation transformers run with their document.");
        var description = context.Description;
        var route = ApiRoutes.Relative(description.RelativePath ?? "");
        var entry = ApiOperationCatalog.Find(description.HttpMethod ?? "", route);
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var problems = new List<ProblemAnswer>();

        operation.Summary ??= entry?.Summary;
        DeclareRouteParameters(operation, route);
        foreach (var header in entry?.Headers ?? [])
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = header.Name,
                In = ParameterLocation.Header,
                Description = header.Description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }

        var policies = metadata.OfType<IAuthorizeData>().Select(data => data.Policy).ToHashSet(StringComparer.Ordinal);
        if (policies.Contains(ApiKeyAuthentication.BackendPolicy))
        {
            operation.Security = [SecuritySchemes.Require(SecuritySchemes.BackendKey, document)];
            problems.Add(new(401, "Missing or unknown backend key."));
        }

        if (metadata.OfType<ProgramOfBackendKeyMetadata>().Any())
        {
            problems.Add(ProgramOfBackendKey);
        }

        if (policies.Contains(ApiKeyAuthentication.StaffPolicy))
        {
            operation.Security = [SecuritySchemes.Require(SecuritySchemes.StaffKey, document)];
            problems.Add(new(401, "Missing or unknown staff key."));
            problems.Add(new(429, "Too many wrong keys from this client; see Retry-After."));
            problems.Add(new(503, "Staff keys cannot be checked right now; see Retry-After."));
        }

        if (entry?.PassToken == true)
        {
            operation.Security = [SecuritySchemes.Require(SecuritySchemes.ApplePass, document), SecuritySchemes.Require(SecuritySchemes.AndroidPass, document)];
        }

        if (metadata.OfType<EnableRateLimitingAttribute>().Any())
        {
            problems.Add(new(429, "Rate limited; see Retry-After."));
        }

        if (entry?.Body is { } body)
        {
            var item = await SchemaAsync(body, context, cancellationToken);
            IOpenApiSchema schema = entry.BodyArrayMaxItems is { } maxItems
                ? new OpenApiSchema { OneOf = [item, new OpenApiSchema { Type = JsonSchemaType.Array, Items = item, MinItems = 1, MaxItems = maxItems }] }
                : item;
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
            problems.Add(new(400, "The body is empty, malformed, of the wrong shape or has a property this API does not know."));
            problems.Add(new(413, "The body is too large."));
            problems.Add(new(415, "The body is not application/json."));
        }

        if (entry?.Answers is { Count: > 0 })
        {
            operation.Responses?.Remove("200"); // the generator's default for a result it cannot read
        }

        foreach (var answer in (entry?.Answers ?? []).OrderBy(answer => answer.Status))
        {
            operation.Responses ??= [];
            operation.Responses[Code(answer.Status)] = new OpenApiResponse
            {
                Description = answer.Description,
                Content = answer switch
                {
                    { Body: { } type } => new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = await SchemaAsync(type, context, cancellationToken) } },
                    { ContentType: { } contentType } => new Dictionary<string, OpenApiMediaType> { [contentType] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } } },
                    _ => null,
                },
            };
        }

        problems.AddRange(entry?.Problems ?? []);
        problems.Add(StorageDown);
        foreach (var group in problems.GroupBy(problem => problem.Status).OrderBy(group => group.Key))
        {
            await AddProblemAsync(operation, group.Key, string.Join(" Or: ", group.Select(p => p.Description).Distinct()), [.. group.Select(p => p.Members).OfType<Type>().Distinct()], context, cancellationToken);
            if (entry is { CustomerPages: true } && group.Any(entry.Problems.Contains) && operation.Responses?.GetValueOrDefault(Code(group.Key)) is OpenApiResponse { Content: { } problemContent })
            {
                problemContent["text/html"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } }; // to a browser that asks for it
            }
        }

        // Every 429 and 503 of the service says when to ask again (RFC 9110 section 10.2.3; RFC 6585 section 4 for 429): the
        // rate limits, the wrong-key limit, PassKit's limits and every outage set Retry-After, so a generated client can read it.
        foreach (var retried in new[] { "429", "503" })
        {
            if (operation.Responses?.GetValueOrDefault(retried) is OpenApiResponse answer)
            {
                answer.Headers ??= new Dictionary<string, IOpenApiHeader>();
                answer.Headers[Microsoft.Net.Http.Headers.HeaderNames.RetryAfter] = new OpenApiHeader
                {
                    Description = "Seconds to wait before trying again.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
                };
            }
        }

        if (operation.Responses is { } responses)
        {
            var sorted = new OpenApiResponses();
            foreach (var (code, response) in responses.OrderBy(response => response.Key, StringComparer.Ordinal))
            {
                sorted[code] = response;
            }

            operation.Responses = sorted;
        }

        // GET and HEAD share a handler, hence its name: operation ids are unique in a document.
        if (HttpMethods.IsHead(description.HttpMethod ?? "") && operation.OperationId is { } id)
        {
            operation.OperationId = id + "Head";
        }
    }

    private static async Task AddProblemAsync(OpenApiOperation operation, int status, string text, IReadOnlyList<Type> members, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Responses ??= [];
        var code = Code(status);
        if (operation.Responses.TryGetValue(code, out var generated) && generated.Content?.ContainsKey(ProblemContentType) == true && generated is OpenApiResponse response)
        {
            // A ValidationProblem the handler declares: keep its schema (problem details with errors), say when.
            response.Description = text;
            return;
        }

        if (generated is OpenApiResponse { Content: { Count: > 0 } content } answer)
        {
            // A JSON answer of the same status (health's unhealthy report): problem details are the other content.
            answer.Description = $"{answer.Description} Or: {text}";
            content[ProblemContentType] = new() { Schema = await SchemaAsync(typeof(ProblemDetails), context, cancellationToken) };
            return;
        }

        // A validation problem (HttpValidationProblemDetails, with errors) is problem details of its own schema.
        var problemType = members.FirstOrDefault(typeof(ProblemDetails).IsAssignableFrom) ?? typeof(ProblemDetails);
        var problem = await SchemaAsync(problemType, context, cancellationToken);
        var extensions = members.Where(type => type != problemType).ToList();
        if (extensions.Count > 0)
        {
            // Problem details and the extension members this answer carries (RFC 9457 section 3.2), such as a redemption's reason.
            var schemas = new List<IOpenApiSchema> { problem };
            foreach (var type in extensions)
            {
                schemas.Add(await SchemaAsync(type, context, cancellationToken));
            }

            problem = new OpenApiSchema { AllOf = schemas };
        }

        operation.Responses[code] = new OpenApiResponse
        {
            Description = text,
            Content = new Dictionary<string, OpenApiMediaType> { [ProblemContentType] = new() { Schema = problem } },
        };
    }

    /// <summary>The type's schema as a reference to a component of the document (added on first use).</summary>
    private static async Task<IOpenApiSchema> SchemaAsync(Type type, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var document = context.Document!;
        if (document.Components?.Schemas?.ContainsKey(type.Name) != true)
        {
            document.AddComponent(type.Name, await context.GetOrCreateSchemaAsync(type, null, cancellationToken));
        }

        return new OpenApiSchemaReference(type.Name, document);
    }

    /// <summary>Route values read by an endpoint filter or a bound type (<c>{programId}</c>, see ProgramRoutes) rather than a handler parameter.</summary>
    private static void DeclareRouteParameters(OpenApiOperation operation, string route)
    {
        var at = 0;
        foreach (var name in RouteParameter().Matches(route).Select(match => match.Groups[1].Value))
        {
            operation.Parameters ??= [];
            if (!operation.Parameters.Any(parameter => parameter.In == ParameterLocation.Path && parameter.Name == name))
            {
                operation.Parameters.Insert(at++, new OpenApiParameter { Name = name, In = ParameterLocation.Path, Required = true, Schema = new OpenApiSchema { Type = JsonSchemaType.String } });
            }
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\{([A-Za-z0-9_]+)[^}]*\}")]
    private static partial System.Text.RegularExpressions.Regex RouteParameter();

    private static string Code(int status) => status.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
