using System.Globalization;
using Amazon.S3;
using Amazon.S3.Model;
using SdServerless.Contracts.Messages;
using SdServerless.GpuWorker.Diffusion;

namespace SdServerless.GpuWorker.Agent;

/// <summary>Writes a task's images to deterministic keys, <c>{prefix}/{id}/{id}-{n}.png</c>, so a retry overwrites rather than adds.</summary>
public sealed class OutputWriter(IAmazonS3 s3)
{
    public async Task<IReadOnlyList<TaskOutput>> WriteAsync(
        GenerateImageRequested task, IReadOnlyList<GeneratedImage> images, CancellationToken cancellationToken)
    {
        var outputs = new List<TaskOutput>(images.Count);
        for (var i = 0; i < images.Count; i++)
        {
            var key = task.Output.ImageKey(task.Id, i);
            var request = new PutObjectRequest
            {
                BucketName = task.Output.Bucket,
                Key = key,
                InputStream = new MemoryStream(images[i].Png, writable: false),
                ContentType = "image/png",
            };
            request.Metadata["task-id"] = task.Id;
            request.Metadata["seed"] = images[i].Seed.ToString(CultureInfo.InvariantCulture);
            request.Metadata["runtime"] = task.Runtime;
            await s3.PutObjectAsync(request, cancellationToken);
            outputs.Add(new TaskOutput($"s3://{task.Output.Bucket}/{key}", images[i].Seed));
        }
        return outputs;
    }
}
