using System.Buffers;
using System.IO.Pipelines;

namespace WalletPasses.Apple;

/// <summary>
/// A .pkpass as a list of byte segments: small per-pass parts (headers, pass.json, manifest, signature)
/// interleaved with the template's image arrays, which are shared rather than copied. A pass version
/// costs a few KB to build and to keep in a cache, however large the images are.
/// </summary>
public sealed class PkPassContent(IReadOnlyList<ReadOnlyMemory<byte>> segments)
{
    public IReadOnlyList<ReadOnlyMemory<byte>> Segments { get; } = segments;

    public long Length { get; } = segments.Sum(s => (long)s.Length);

    /// <summary>Bytes held by this pass alone (what the template shares is not counted).</summary>
    public long OwnBytes { get; init; }

    /// <summary>Copies every segment into the response's buffers and flushes once (a flush per segment costs a send each).</summary>
    public async Task WriteToAsync(PipeWriter destination, CancellationToken cancellationToken)
    {
        foreach (var segment in Segments)
        {
            destination.Write(segment.Span);
        }

        await destination.FlushAsync(cancellationToken);
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        var position = 0;
        foreach (var segment in Segments)
        {
            segment.Span.CopyTo(bytes.AsSpan(position));
            position += segment.Length;
        }

        return bytes;
    }
}
