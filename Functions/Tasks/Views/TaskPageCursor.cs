using System.Buffers.Text;
using System.Text;
using Amazon.DynamoDBv2.Model;
using SdServerless.Contracts.Tasks;

using SdServerless.Aws.TaskStore;

namespace SdServerless.Functions.Tasks.Views;

/// <summary>
/// The opaque list cursor: the by-owner index position (sort key and id) of the last task returned, base64url-encoded.
/// The owner is not in it; it always comes from the caller, so a cursor cannot open someone else's tasks.
/// </summary>
public static class TaskPageCursor
{
    public static string Encode(IReadOnlyDictionary<string, AttributeValue> lastEvaluatedKey) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{lastEvaluatedKey[TaskAttributes.SortKey].S}\n{lastEvaluatedKey[TaskAttributes.Id].S}"));

    /// <summary>The index key to continue after, or null when <paramref name="cursor"/> is not one of ours.</summary>
    public static Dictionary<string, AttributeValue>? TryDecode(string cursor, string owner)
    {
        if (cursor.Length is 0 or > 512 || !Base64Url.IsValid(cursor))
        {
            return null;
        }
        var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('\n');
        if (parts is not [var sortKey, var id] || sortKey.Length == 0 || id.Length == 0 || !sortKey.EndsWith($"#{id}", StringComparison.Ordinal))
        {
            return null;
        }
        return new Dictionary<string, AttributeValue>
        {
            [TaskAttributes.Owner] = new() { S = owner },
            [TaskAttributes.SortKey] = new() { S = sortKey },
            [TaskAttributes.Id] = new() { S = id },
        };
    }
}
