using System.Text.Json;

namespace WalletPasses.Conformance;

/// <summary>Reads manifest.json: "a JSON dictionary. Each key is the path to a file ... and the key's value is the SHA-1 hash for that file" (PassKit Package Format Reference).</summary>
public static class PassManifestFile
{
    public static IReadOnlyDictionary<string, string>? Parse(byte[] manifest, out string? error)
    {
        error = null;
        try
        {
            using var document = JsonDocument.Parse(manifest);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = "it is not a JSON object";
                return null;
            }

            var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in document.RootElement.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.String)
                {
                    error = $"the hash of '{entry.Name}' is not a string";
                    return null;
                }

                hashes[entry.Name] = entry.Value.GetString()!;
            }

            return hashes;
        }
        catch (JsonException e)
        {
            error = e.Message;
            return null;
        }
    }
}
