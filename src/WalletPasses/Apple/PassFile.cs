using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;

namespace WalletPasses.Apple;

/// <summary>A file of a .pkpass with the digests the manifest and the zip need, computed once.</summary>
public sealed record PassFile(string Name, byte[] Content, string Sha1Hex, uint Crc32)
{
    public static PassFile Create(string name, byte[] content) =>
#pragma warning disable CA5350 // Apple's manifest format is defined with SHA-1; it is an integrity list, the CMS signature is SHA-256.
        new(name, content, Convert.ToHexStringLower(SHA1.HashData(content)), System.IO.Hashing.Crc32.HashToUInt32(content));
#pragma warning restore CA5350
}

/// <summary>
/// Writes a zip of stored (uncompressed) entries. PNGs are already compressed, so deflating them costs CPU
/// for nothing; with sizes and CRCs known up front the archive is written into one exact-size buffer.
/// </summary>
public static class StoredZip
{
    private const int LocalHeaderSize = 30;
    private const int CentralHeaderSize = 46;
    private const int EndOfCentralDirectorySize = 22;
    private const ushort Utf8NamesFlag = 0x0800;
    private const ushort Version = 20;

    public static byte[] Write(IReadOnlyList<PassFile> files, DateTimeOffset modified)
    {
        var names = new byte[files.Count][];
        long size = EndOfCentralDirectorySize;
        for (var i = 0; i < files.Count; i++)
        {
            names[i] = System.Text.Encoding.UTF8.GetBytes(files[i].Name);
            size += LocalHeaderSize + CentralHeaderSize + (2L * names[i].Length) + files[i].Content.Length;
        }

        var (dosTime, dosDate) = DosDateTime(modified);
        var zip = new byte[size];
        var offsets = new int[files.Count];
        var position = 0;
        for (var i = 0; i < files.Count; i++)
        {
            offsets[i] = position;
            var header = zip.AsSpan(position);
            BinaryPrimitives.WriteUInt32LittleEndian(header, 0x04034b50);
            BinaryPrimitives.WriteUInt16LittleEndian(header[4..], Version);
            BinaryPrimitives.WriteUInt16LittleEndian(header[6..], Utf8NamesFlag);
            BinaryPrimitives.WriteUInt16LittleEndian(header[8..], 0); // stored
            BinaryPrimitives.WriteUInt16LittleEndian(header[10..], dosTime);
            BinaryPrimitives.WriteUInt16LittleEndian(header[12..], dosDate);
            BinaryPrimitives.WriteUInt32LittleEndian(header[14..], files[i].Crc32);
            BinaryPrimitives.WriteUInt32LittleEndian(header[18..], (uint)files[i].Content.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(header[22..], (uint)files[i].Content.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(header[26..], (ushort)names[i].Length);
            BinaryPrimitives.WriteUInt16LittleEndian(header[28..], 0);
            position += LocalHeaderSize;
            names[i].CopyTo(zip, position);
            position += names[i].Length;
            files[i].Content.CopyTo(zip, position);
            position += files[i].Content.Length;
        }

        var centralDirectoryStart = position;
        for (var i = 0; i < files.Count; i++)
        {
            var header = zip.AsSpan(position);
            BinaryPrimitives.WriteUInt32LittleEndian(header, 0x02014b50);
            BinaryPrimitives.WriteUInt16LittleEndian(header[4..], Version);
            BinaryPrimitives.WriteUInt16LittleEndian(header[6..], Version);
            BinaryPrimitives.WriteUInt16LittleEndian(header[8..], Utf8NamesFlag);
            BinaryPrimitives.WriteUInt16LittleEndian(header[10..], 0);
            BinaryPrimitives.WriteUInt16LittleEndian(header[12..], dosTime);
            BinaryPrimitives.WriteUInt16LittleEndian(header[14..], dosDate);
            BinaryPrimitives.WriteUInt32LittleEndian(header[16..], files[i].Crc32);
            BinaryPrimitives.WriteUInt32LittleEndian(header[20..], (uint)files[i].Content.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)files[i].Content.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(header[28..], (ushort)names[i].Length);
            // Extra length, comment length, disk number, internal and external attributes stay zero.
            BinaryPrimitives.WriteUInt32LittleEndian(header[42..], (uint)offsets[i]);
            position += CentralHeaderSize;
            names[i].CopyTo(zip, position);
            position += names[i].Length;
        }

        var end = zip.AsSpan(position);
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(end[8..], (ushort)files.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(end[10..], (ushort)files.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(end[12..], (uint)(position - centralDirectoryStart));
        BinaryPrimitives.WriteUInt32LittleEndian(end[16..], (uint)centralDirectoryStart);
        return zip;
    }

    private static (ushort Time, ushort Date) DosDateTime(DateTimeOffset value)
    {
        var utc = value.UtcDateTime;
        var year = Math.Clamp(utc.Year, 1980, 2107);
        return ((ushort)((utc.Hour << 11) | (utc.Minute << 5) | (utc.Second / 2)), (ushort)(((year - 1980) << 9) | (utc.Month << 5) | utc.Day));
    }
}
