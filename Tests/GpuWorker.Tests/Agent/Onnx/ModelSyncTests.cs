using Amazon.S3.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SdServerless.GpuWorker.Agent;
using SdServerless.GpuWorker.Agent.Onnx;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Loading;

namespace SdServerless.GpuWorker.Tests.Agent.Onnx;

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
        var worker = Options.Create(new WorkerOptions { Model = $"s3://{bucket}/{prefix}", ModelCacheDirectory = cache });

        var folder = (await new ModelSync(s3, worker, NullLogger<ModelSync>.Instance).GetFolderAsync(CancellationToken.None))!;
        // A restarted worker: a new instance over the same cache.
        Assert.True(S3Uri.TryParse(worker.Value.Model, out var location));
        var again = await new ModelSync(s3, worker, NullLogger<ModelSync>.Instance).SyncAsync(location, CancellationToken.None);

        Assert.StartsWith(cache, folder);
        Assert.Equal(folder, again.Folder);
        Assert.Equal((0, files.Length), (again.Downloaded, again.Reused));
        foreach (var file in files)
        {
            var copy = Path.Combine(folder, Path.GetRelativePath(fixture.ModelFolder, file));
            Assert.Equal(await File.ReadAllBytesAsync(file), await File.ReadAllBytesAsync(copy));
        }
        Assert.Empty(Directory.GetFiles(folder, "*.partial", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task WithoutItsOwnSettingTheWorkerTakesItsRuntimesModelAndWithNeitherTheTinyModel()
    {
        using var s3 = fixture.Stack.Connection.CreateS3Client();
        var none = Options.Create(new WorkerOptions());
        var runtime = new SdServerless.Contracts.Runtimes.RuntimeDefinition { Name = "sdruntime", Model = fixture.ModelFolder };

        Assert.Equal(fixture.ModelFolder, await new ModelSync(s3, none, NullLogger<ModelSync>.Instance, runtime).GetFolderAsync(CancellationToken.None));
        Assert.Null(await new ModelSync(s3, none, NullLogger<ModelSync>.Instance).GetFolderAsync(CancellationToken.None));
        Assert.Equal("/elsewhere", await new ModelSync(s3, Options.Create(new WorkerOptions { Model = "/elsewhere" }), NullLogger<ModelSync>.Instance, runtime)
            .GetFolderAsync(CancellationToken.None));
    }

    [Fact]
    public async Task EmptyPrefixIsAModelError()
    {
        using var s3 = fixture.Stack.Connection.CreateS3Client();
        var bucket = fixture.Stack.Resources["OutputBucket"].Ref;
        var worker = Options.Create(new WorkerOptions
        {
            Model = $"s3://{bucket}/models/{Guid.NewGuid():N}/",
            ModelCacheDirectory = Path.Combine(_cacheRoot, "empty"),
        });

        var error = await Assert.ThrowsAsync<ModelLoadException>(() =>
            new ModelSync(s3, worker, NullLogger<ModelSync>.Instance).GetFolderAsync(CancellationToken.None));

        Assert.Contains("No model files", error.Message);
    }
}
