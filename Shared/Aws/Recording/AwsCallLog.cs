using System.Text;
using System.Text.Json;

namespace SdServerless.Aws.Recording;

/// <summary>
/// Appends the AWS calls a deployable makes to a file, one JSON object a line, so that a test can check them against
/// the deployable's IAM role. Switched on by configuration (<c>Aws:CallLog</c>, a path; <c>Aws:CallLogCaller</c>, the
/// caller's name) and never on in a deployment. A flow that runs under another role in a deployment (the callback
/// function inside the Functions app) names itself with <see cref="As"/>.
/// </summary>
public sealed class AwsCallLog(string path, string caller, string region, string account)
{
    private static readonly AsyncLocal<string?> CurrentCaller = new();
    private readonly Lock _gate = new();

    public string Path => path;

    public string Region => region;

    /// <summary>The account resources are in when a request does not say (DynamoDB tables, SQS queues by name).</summary>
    public string Account => account;

    /// <summary>Calls made in this async flow until the scope ends are recorded as made by <paramref name="flowCaller"/>.</summary>
    public static IDisposable As(string flowCaller)
    {
        var previous = CurrentCaller.Value;
        CurrentCaller.Value = flowCaller;
        return new Scope(previous);
    }

    public void Record(string action, string resource, IReadOnlyDictionary<string, string>? context = null)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("caller", CurrentCaller.Value ?? caller);
            writer.WriteString("action", action);
            writer.WriteString("resource", resource);
            writer.WriteStartObject("context");
            foreach (var (key, value) in context ?? new Dictionary<string, string>())
            {
                writer.WriteString(key, value);
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        lock (_gate)
        {
            using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            buffer.WriteTo(file);
        }
    }

    /// <summary>The calls recorded in <paramref name="logPath"/> (none when the file does not exist).</summary>
    public static IReadOnlyList<AwsCall> Read(string logPath)
    {
        if (!File.Exists(logPath))
        {
            return [];
        }
        using var stream = new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var calls = new List<AwsCall>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            calls.Add(new AwsCall(
                root.GetProperty("caller").GetString()!,
                root.GetProperty("action").GetString()!,
                root.GetProperty("resource").GetString()!,
                root.GetProperty("context").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "")));
        }
        return calls;
    }

    /// <summary>The log <paramref name="read"/> asks for, or null when recording is off.</summary>
    public static AwsCallLog? FromConfiguration(Func<string, string?> read, string region) =>
        read("Aws:CallLog") is { Length: > 0 } logPath
            ? new AwsCallLog(logPath, read("Aws:CallLogCaller") ?? "default", region, read("Aws:CallLogAccount") ?? "000000000000")
            : null;

    private sealed class Scope(string? previous) : IDisposable
    {
        public void Dispose() => CurrentCaller.Value = previous;
    }
}
