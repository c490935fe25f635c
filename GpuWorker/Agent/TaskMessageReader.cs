using System.Text.Json;
using Amazon.S3;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Serialization;

namespace SdServerless.GpuWorker.Agent;

/// <summary>Reads a task message, following a claim check to S3 when the message carries only a pointer.</summary>
public sealed class TaskMessageReader(IAmazonS3 s3)
{
    /// <summary>The message, or null when the body is not a task message at all (a poison message).</summary>
    public async Task<GenerateImageRequested?> ReadAsync(string body, CancellationToken cancellationToken)
    {
        var message = Parse(body);
        if (message?.PayloadS3Uri is not { } pointer)
        {
            return message;
        }
        if (!S3Uri.TryParse(pointer, out var location))
        {
            return null;
        }
        using var payload = await s3.GetObjectAsync(location.Bucket, location.Key, cancellationToken);
        using var reader = new StreamReader(payload.ResponseStream);
        var full = Parse(await reader.ReadToEndAsync(cancellationToken));
        return full is null || full.Id != message.Id ? null : full with { PayloadS3Uri = null };
    }

    private static GenerateImageRequested? Parse(string body)
    {
        try
        {
            var message = JsonSerializer.Deserialize(body, ContractsJsonContext.Default.GenerateImageRequested);
            return message is { Id.Length: > 0, Parameters: not null, Output: not null } ? message : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
