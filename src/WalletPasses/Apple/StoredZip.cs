using System.Buffers;
using System.Buffers.Binary;

namespace WalletPasses.Apple;

/// <summary>
/// Writes a zip of stored (uncompressed) entries. PNGs are already compressed, so deflating them costs CPU
/// for nothing; with sizes and CRCs known up front, only the headers are new bytes.
/// </summary>
public static class StoredZip
{
    private const int LocalHeaderSize = 30;
    private const int CentralHeaderSize = 46;
    private const int EndOfCentralDirectorySize = 22;
    private const ushort Utf8NamesFlag = 0x0800;
    private const ushort Version = 20;

    public static PkPassContent Write(IReadOnlyList<PassFile> files, DateTimeOffset modified)
    {
        var names = new byte[files.Count][];
        var headerBytes = EndOfCentralDirectorySize;
        for (var i = 0; i < files.Count; i++)
        {
            names[i] = System.Text.Encoding.UTF8.GetBytes(files[i].Name);
            headerBytes += LocalHeaderSize + CentralHeaderSize + (2 * names[i].Length);
        }

        var (dosTime, dosDate) = DosDateTime(modified);
        var headers = new byte[headerBytes];
        var segments = new List<ReadOnlyMemory<byte>>((2 * files.Count) + 1);
        var offsets = new uint[files.Count];
        uint zipPosition = 0;
        var headerPosition = 0;
        for (var i = 0; i < files.Count; i++)
        {
            offsets[i] = zipPosition;
            var header = headers.AsSpan(headerPosition);
            BinaryPrimitives.WriteUInt32LittleEndian(header, 0x04034b50);
            WriteEntryFields(header[4..], files[i], names[i].Length, dosTime, dosDate);
            names[i].CopyTo(header[LocalHeaderSize..]);
            var length = LocalHeaderSize + names[i].Length;
            segments.Add(headers.AsMemory(headerPosition, length));
            segments.Add(files[i].Content);
            headerPosition += length;
            zipPosition += (uint)(length + files[i].Content.Length);
        }

        var centralDirectoryStart = headerPosition;
        for (var i = 0; i < files.Count; i++)
        {
            var header = headers.AsSpan(headerPosition);
            BinaryPrimitives.WriteUInt32LittleEndian(header, 0x02014b50);
            BinaryPrimitives.WriteUInt16LittleEndian(header[4..], Version); // made by
            WriteEntryFields(header[6..], files[i], names[i].Length, dosTime, dosDate);
            // Comment length, disk number and file attributes stay zero.
            BinaryPrimitives.WriteUInt32LittleEndian(header[42..], offsets[i]);
            names[i].CopyTo(header[CentralHeaderSize..]);
            headerPosition += CentralHeaderSize + names[i].Length;
        }

        var end = headers.AsSpan(headerPosition);
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(end[8..], (ushort)files.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(end[10..], (ushort)files.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(end[12..], (uint)(headerPosition - centralDirectoryStart));
        BinaryPrimitives.WriteUInt32LittleEndian(end[16..], zipPosition);
        segments.Add(headers.AsMemory(centralDirectoryStart));
        return new PkPassContent(segments) { OwnBytes = headers.Length };
    }

    /// <summary>The fields local and central headers share, from "version needed" to "extra field length".</summary>
    private static void WriteEntryFields(Span<byte> fields, PassFile file, int nameLength, ushort dosTime, ushort dosDate)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(fields, Version);
        BinaryPrimitives.WriteUInt16LittleEndian(fields[2..], Utf8NamesFlag);
        BinaryPrimitives.WriteUInt16LittleEndian(fields[4..], 0); // stored
        BinaryPrimitives.WriteUInt16LittleEndian(fields[6..], dosTime);
        BinaryPrimitives.WriteUInt16LittleEndian(fields[8..], dosDate);
        BinaryPrimitives.WriteUInt32LittleEndian(fields[10..], file.Crc32);
        BinaryPrimitives.WriteUInt32LittleEndian(fields[14..], (uint)file.Content.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(fields[18..], (uint)file.Content.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(fields[22..], (ushort)nameLength);
        BinaryPrimitives.WriteUInt16LittleEndian(fields[24..], 0);
    }

    private static (ushort Time, ushort Date) DosDateTime(DateTimeOffset value)
    {
        var utc = value.UtcDateTime;
        var year = Math.Clamp(utc.Year, 1980, 2107);
        return ((ushort)((utc.Hour << 11) | (utc.Minute << 5) | (utc.Second / 2)), (ushort)(((year - 1980) << 9) | (utc.Month << 5) | utc.Day));
    }
}
