using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace WalletPasses.OpenApi;

/// <summary>Title, security schemes, and no servers: paths are absolute (<c>/api/…</c>) on whichever host serves the document.</summary>
public sealed class DocumentDescription : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "WalletPasses",
            Version = OpenApiDocumentation.DocumentName,
            Description = "Apple Wallet and Google Wallet loyalty passes per member, kept live from a loyalty backend's events, " +
                "and validated by store staff. Errors are RFC 9457 problem details (application/problem+json). See docs/contract.md.",
        };

        // Servers taken from the request or the listening addresses would make the document differ per host and
        // per caller; without servers a client resolves the paths against the document's own origin.
        document.Servers = [];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = SecuritySchemes.All();
        return Task.CompletedTask;
    }
}
