using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace SdServerless.Functions.Callbacks.Results;

/// <summary>Reads a message body as its contract; null when it is not JSON of that shape.</summary>
internal static class MessageBody
{
    public static T? TryRead<T>(string body, JsonTypeInfo<T> type) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(body, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
