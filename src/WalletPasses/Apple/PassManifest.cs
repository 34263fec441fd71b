using System.Buffers;
using System.Text.Json;

namespace WalletPasses.Apple;

/// <summary>manifest.json: every file's path mapped to the lowercase hex SHA-1 of its bytes.</summary>
public static class PassManifest
{
    public static byte[] Build(IEnumerable<PassFile> files)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var file in files)
            {
                writer.WriteString(file.Name, file.Sha1Hex);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
