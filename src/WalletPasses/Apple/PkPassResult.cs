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

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var headers = response.GetTypedHeaders();
        headers.LastModified = holder.Pass.UpdatedAt;
        headers.CacheControl = new CacheControlHeaderValue { Private = true, NoCache = true };

        // UpdatedAt has whole seconds, like HTTP dates; a version that shares its second with the one before
        // cannot be told apart from it by date, so it is sent whole rather than ever hidden behind a 304.
        if (!holder.Pass.SharesSecondWithPrevious && httpContext.Request.GetTypedHeaders().IfModifiedSince >= holder.Pass.UpdatedAt)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            AnsweredVersion = holder.Pass.Version;
            return;
        }

        if (await passes.GetAsync(holder, httpContext.RequestAborted) is not { } package)
        {
            // The member got a new pass between the two reads: this serial number is no longer theirs.
            headers.LastModified = null;
            response.StatusCode = StatusCodes.Status410Gone;
            return;
        }

        AnsweredVersion = package.Version;
        headers.LastModified = package.LastModified;
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(package.FileName);
        headers.ContentDisposition = disposition;
        response.ContentType = PkPassBuilder.ContentType;
        response.ContentLength = package.Content.Length;
        if (!HttpMethods.IsHead(httpContext.Request.Method))
        {
            await package.Content.WriteToAsync(response.BodyWriter, httpContext.RequestAborted);
        }
    }
}
