using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace WalletPasses.OpenApi;

/// <summary>
/// The serialized document, generated on its first request (nothing at start-up, no storage access: only the
/// endpoints' metadata is read) and kept: the routes of a running app do not change.
/// </summary>
public sealed class OpenApiDocumentCache([FromKeyedServices(OpenApiDocumentation.DocumentName)] IOpenApiDocumentProvider provider)
{
    // Not tied to the first caller's cancellation: generation does no I/O, and a cancelled first request must not poison the cache.
    private readonly Lazy<Task<byte[]>> _json = new(async () =>
    {
        var document = await provider.GetOpenApiDocumentAsync(CancellationToken.None);
        return System.Text.Encoding.UTF8.GetBytes(await document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1, CancellationToken.None));
    });

    public Task<byte[]> GetAsync(CancellationToken cancellationToken) => _json.Value.WaitAsync(cancellationToken);
}
