namespace WalletPasses.Apple;

/// <summary>
/// A pass's Last-Modified date as it would be served now, and whether a copy dated that second can be older. HTTP
/// dates have whole seconds: when the second holds more than one look of the pass (two versions, or a template
/// published within it), a device's copy of that date may be the earlier one, so it is sent whole rather than ever
/// hidden behind a 304. Apple's "Get an Updated Pass": the device sends the Last-Modified it got as If-Modified-Since.
/// </summary>
public readonly record struct PassLastModified(DateTimeOffset Date, bool SecondShared)
{
    /// <summary>True when a copy dated <paramref name="ifModifiedSince"/> is certainly this look of the pass (a 304 answers it).</summary>
    public bool IsCoveredBy(DateTimeOffset ifModifiedSince) => !SecondShared && ifModifiedSince >= Date;
}
