namespace WalletPasses.Apple;

/// <summary>A built, signed pass version, with the header values every answer carrying it sends (formatted once).</summary>
public sealed record PassPackage(PkPassContent Content, long Version, DateTimeOffset LastModified, string FileName)
{
    public string LastModifiedHeader { get; } = Microsoft.Net.Http.Headers.HeaderUtilities.FormatDate(LastModified);

    public string ContentDisposition { get; } = AttachmentNamed(FileName);

    private static string AttachmentNamed(string fileName)
    {
        var disposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(fileName);
        return disposition.ToString();
    }
}
