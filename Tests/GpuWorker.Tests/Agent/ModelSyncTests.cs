using Amazon.S3.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SdServerless.GpuWorker.Agent;
using SdServerless.GpuWorker.Diffusion;

namespace SdServerless.GpuWorker.Tests.Agent;

/// <summary>A model under an s3:// prefix is synced into the cache once and reused after a restart.</summary>
public class ModelSyncTests(AgentFixture fixture) : IClassFixture<AgentFixture>, IDisposable
{
    private readonly string _cacheRoot = Path.Combine(Path.GetTempPath(), "sdserverless-tests", $"model-cache-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_cacheRoot))
        {
            Directory.Delete(_cacheRoot, recursive: true);
        }
    }

    [Fact]
    public async Task ModelIsDownloadedOnceThenReusedAndLoadsFromTheCache()
    {
        using var s3 = fixture.Stack.Connection.CreateS3Client();
        var bucket = fixture.Stack.Resources["OutputBucket"].Ref;
        var prefix = $"models/{Guid.NewGuid():N}/tiny/";
        var files = Directory.GetFiles(fixture.ModelFolder, "*", SearchOption.AllDirectories);
        foreach (var file in files)
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = prefix + Path.GetRelativePath(fixture.ModelFolder, file).Replace('\\', '/'), FilePath = file });
        }
        var cache = Path.Combine(_cacheRoot, "first");
        var worker = Options.Create(new WorkerOptions { ModelUri = $"s3://{bucket}/{prefix}", ModelCacheDirectory = cache });
        var diffusion = Options.Create(new DiffusionOptions());
        var sync = new ModelSync(s3, worker, diffusion, NullLogger<ModelSync>.Instance);

        await sync.StartAsync(CancellationToken.None);
        var folder = diffusion.Value.ModelPath!;
        var firstWrite = File.GetLastWriteTimeUtc(Path.Combine(folder, "unet", "model.onnx"));
        await Task.Delay(50);
        await new ModelSync(s3, worker, Options.Create(new DiffusionOptions()), NullLogger<ModelSync>.Instance).StartAsync(CancellationToken.None);

        Assert.StartsWith(cache, folder);
        foreach (var file in files)
        {
            var copy = Path.Combine(folder, Path.GetRelativePath(fixture.ModelFolder, file));
            Assert.Equal(await File.ReadAllBytesAsync(file), await File.ReadAllBytesAsync(copy));
        }
        Assert.Equal(firstWrite, File.GetLastWriteTimeUtc(Path.Combine(folder, "unet", "model.onnx")));
        Assert.Empty(Directory.GetFiles(folder, "*.partial", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task EmptyPrefixIsAModelError()
    {
        using var s3 = fixture.Stack.Connection.CreateS3Client();
        var bucket = fixture.Stack.Resources["OutputBucket"].Ref;
        var worker = Options.Create(new WorkerOptions
        {
            ModelUri = $"s3://{bucket}/models/{Guid.NewGuid():N}/",
            ModelCacheDirectory = Path.Combine(_cacheRoot, "empty"),
        });

        var error = await Assert.ThrowsAsync<ModelLoadException>(() =>
            new ModelSync(s3, worker, Options.Create(new DiffusionOptions()), NullLogger<ModelSync>.Instance).StartAsync(CancellationToken.None));

        Assert.Contains("No model files", error.Message);
    }
}
