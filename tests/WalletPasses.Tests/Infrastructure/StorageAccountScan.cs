using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace WalletPasses.Tests.Infrastructure;

/// <summary>
/// Where some values (a member's id, name, push token) are stored anywhere in one app's storage: every table, blob
/// container and queue whose name starts with the app's storage prefix, listed from the account rather than from the
/// app's own list of names, so a table, container or queue added later is searched too. Table rows are searched key
/// by key and property by property; blobs and queue messages (peeked, so nothing is taken off a queue) by their whole
/// text, queue messages also base64-decoded (the app's queues carry base64 JSON).
/// </summary>
public static class StorageAccountScan
{
    /// <summary>One value found: where (<c>table members</c>, <c>queue pass-activity</c>, …), the row's kind, the property, which value.</summary>
    public sealed record Finding(string Store, string Row, string Property, string Value)
    {
        public override string ToString() => $"{Store} [{Row}] {Property}: {Value}";
    }

    /// <param name="values">Name of each value (such as "member id") → the text to look for.</param>
    /// <param name="rowKind">How a table row is named in a finding (for example its RowKey's prefix), so findings group by kind of row.</param>
    public static async Task<IReadOnlyList<Finding>> FindAsync(
        string connectionString, string prefix, IReadOnlyDictionary<string, string> values, Func<string, TableEntity, string> rowKind)
    {
        var findings = new List<Finding>();
        void Search(string store, string row, string property, string? text)
        {
            foreach (var (name, value) in values)
            {
                if (text is not null && text.Contains(value, StringComparison.OrdinalIgnoreCase))
                {
                    findings.Add(new Finding(store, row, property, name));
                }
            }
        }

        var tables = new TableServiceClient(connectionString);
        await foreach (var table in tables.QueryAsync(t => t.Name.CompareTo(prefix) >= 0))
        {
            if (!table.Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var name = table.Name[prefix.Length..];
            await foreach (var row in tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                var kind = rowKind(name, row);
                foreach (var (property, value) in row)
                {
                    Search($"table {name}", kind, property, value switch
                    {
                        byte[] bytes => Encoding.UTF8.GetString(bytes),
                        BinaryData data => data.ToString(),
                        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
                    });
                }
            }
        }

        var blobs = new BlobServiceClient(connectionString);
        await foreach (var container in blobs.GetBlobContainersAsync(prefix: prefix))
        {
            var client = blobs.GetBlobContainerClient(container.Name);
            await foreach (var blob in client.GetBlobsAsync())
            {
                var content = (await client.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content;
                Search($"container {container.Name[prefix.Length..]}", blob.Name, "content", content.ToString());
                Search($"container {container.Name[prefix.Length..]}", blob.Name, "name", blob.Name);
            }
        }

        var queues = new QueueServiceClient(connectionString);
        await foreach (var queue in queues.GetQueuesAsync(prefix: prefix))
        {
            // Peek shows at most 32 messages; a test's queues hold fewer.
            foreach (var message in (await queues.GetQueueClient(queue.Name).PeekMessagesAsync(32)).Value)
            {
                var text = message.Body.ToString();
                Search($"queue {queue.Name[prefix.Length..]}", "message", "text", text);
                Search($"queue {queue.Name[prefix.Length..]}", "message", "text (base64-decoded)", Base64Text(text));
            }
        }

        return findings.Distinct().ToList();
    }

    private static string? Base64Text(string text)
    {
        var bytes = new byte[text.Length];
        return Convert.TryFromBase64String(text, bytes, out var length) ? Encoding.UTF8.GetString(bytes, 0, length) : null;
    }
}
