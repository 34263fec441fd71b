using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace WalletPasses.OpenApi;

/// <summary>
/// Every problem-details answer carries <c>traceId</c>: ASP.NET Core's problem details service adds it (the request's
/// trace, as in the logs and traces). The generator reads only <see cref="ProblemDetails"/>' own properties, so a
/// generated client would drop it; the schemas of problem details and validation problems declare it.
/// </summary>
public sealed class ProblemTraceId : IOpenApiSchemaTransformer
{
    public const string Property = "traceId";

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (typeof(ProblemDetails).IsAssignableFrom(context.JsonTypeInfo.Type) && schema.Properties is { } properties)
        {
            properties[Property] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "The request's trace id (W3C trace-id of its trace, or the server's request id): quote it when reporting a problem.",
            };
        }

        return Task.CompletedTask;
    }
}
