using Microsoft.Net.Http.Headers;
using WalletPasses.Members;

namespace WalletPasses.Apple;

/// <summary>
/// The answer carrying a member's current pass, for the download link and the PassKit web service alike:
/// 304 when the client's <c>If-Modified-Since</c> already covers this version (decided before any build),
/// headers only for HEAD, otherwise the signed .pkpass served from the version cache.
/// </summary>
public sealed class PkPassResult(PassHolder holder, ApplePasses passes) : IResult
{
    /// <summary>Whose pass this answers with (for the delivery trace).</summary>
    public PassHolder Holder => holder;

    /// <summary>The version answered (304: the holder's; 200: the one sent, newer if one was committed meanwhile); null before or when none was.</summary>
    public long? AnsweredVersion { get; private set; }

    // Formatted once: the answer's header values are the same for every request (or every request for a version).
    private static readonly string CacheControl = new CacheControlHeaderValue { Private = true, NoCache = true }.ToString();

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var lastModified = await passes.LastModifiedAsync(holder, httpContext.RequestAborted);
        response.Headers.LastModified = HeaderUtilities.FormatDate(lastModified.Date);
        response.Headers.CacheControl = CacheControl;

        // A template published since the device's copy makes it modified too; a date whose second holds more than one
        // look of the pass never answers 304 (PassLastModified).
        if (HeaderUtilities.TryParseDate(httpContext.Request.Headers.IfModifiedSince.ToString(), out var ifModifiedSince)
            && lastModified.IsCoveredBy(ifModifiedSince))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            AnsweredVersion = holder.Pass.Version;
            return;
        }

        if (await passes.GetAsync(holder, httpContext.RequestAborted) is not { } package)
        {
            // The member got a new pass between the two reads: this serial number is no longer theirs.
            response.Headers.Remove(HeaderNames.LastModified);
            response.StatusCode = StatusCodes.Status410Gone;
            return;
        }

        AnsweredVersion = package.Version;
        response.Headers.LastModified = package.LastModifiedHeader;
        response.Headers.ContentDisposition = package.ContentDisposition;
        response.ContentType = PkPassBuilder.ContentType;
        response.ContentLength = package.Content.Length;
        if (!HttpMethods.IsHead(httpContext.Request.Method))
        {
            // The cached segments go straight into Kestrel's buffers: no per-request copy of the pass in between.
            await package.Content.WriteToAsync(response.BodyWriter, httpContext.RequestAborted);
        }
    }
}
