namespace SdServerless.EndToEnd.Tests;

/// <summary>One event read off a <c>text/event-stream</c>.</summary>
public sealed record ServerSentEvent(string? Id, string Event, string Data)
{
    /// <summary>Reads events until the server ends the stream or <paramref name="stop"/> says so (then the connection is left to the caller to close).</summary>
    public static async Task<List<ServerSentEvent>> ReadAsync(Stream body, Func<ServerSentEvent, bool>? stop = null, List<string>? comments = null)
    {
        var events = new List<ServerSentEvent>();
        using var reader = new StreamReader(body);
        string? id = null, name = null;
        var data = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Count > 0)
                {
                    var item = new ServerSentEvent(id, name ?? "message", string.Join('\n', data));
                    events.Add(item);
                    if (stop?.Invoke(item) == true)
                    {
                        return events;
                    }
                }
                id = name = null;
                data.Clear();
                continue;
            }
            if (line.StartsWith(':'))
            {
                comments?.Add(line);
                continue;
            }
            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id": id = value; break;
                case "event": name = value; break;
                case "data": data.Add(value); break;
            }
        }
        return events;
    }
}
