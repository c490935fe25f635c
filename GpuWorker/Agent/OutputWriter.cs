using System.Globalization;
using Amazon.S3;
using Amazon.S3.Model;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Tasks;

namespace SdServerless.GpuWorker.Agent;

/// <summary>
/// Writes a task's images to deterministic keys, <c>{prefix}/{id}/{id}-{n}.png</c>, so a retry overwrites rather than
/// adds; one at a time, each read from its source just before it is stored, so at most one is held in memory here.
/// A task with a retention class tags each image <c>retention={days}d</c>, which the bucket's lifecycle rule for that
/// tag value expires (docs/decisions/0347).
/// </summary>
public sealed class OutputWriter(IAmazonS3 s3)
{
    public async Task<IReadOnlyList<TaskOutput>> WriteAsync(
        GenerateImageRequested task, IReadOnlyList<TaskImage> images, CancellationToken cancellationToken)
    {
        var outputs = new List<TaskOutput>(images.Count);
        for (var i = 0; i < images.Count; i++)
        {
            var png = await images[i].ReadAsync(cancellationToken);
            var key = task.Output.ImageKey(task.Id, i);
            var request = new PutObjectRequest
            {
                BucketName = task.Output.Bucket,
                Key = key,
                InputStream = new MemoryStream(png, writable: false),
                ContentType = "image/png",
            };
            request.Metadata["task-id"] = task.Id;
            request.Metadata["seed"] = images[i].Seed.ToString(CultureInfo.InvariantCulture);
            request.Metadata["runtime"] = task.Runtime;
            if (task.RetentionDays is { } days)
            {
                request.TagSet = [new Tag { Key = OutputRetention.TagKey, Value = OutputRetention.TagValue(days) }];
            }
            await s3.PutObjectAsync(request, cancellationToken);
            outputs.Add(new TaskOutput($"s3://{task.Output.Bucket}/{key}", images[i].Seed));
        }
        return outputs;
    }
}
