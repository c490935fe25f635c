using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SdServerless.Contracts.Runtimes;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Loading;

namespace SdServerless.GpuWorker.Agent.Onnx;

/// <summary>
/// The worker's model, from its one setting: <see cref="WorkerOptions.Model"/>, else its runtime's <c>model</c> in the
/// catalogue; empty means the tiny random model. A local folder is used as is; an <c>s3://bucket/prefix/</c> is synced
/// once into the cache directory (each file checked by size and ETag, written to a temporary name and renamed into
/// place), so a restarted pod reuses what it already has. The engine asks for it when it loads.
/// </summary>
public sealed partial class ModelSync(IAmazonS3 s3, IOptions<WorkerOptions> worker, ILogger<ModelSync> logger, RuntimeDefinition? runtime = null) : IModelSource
{
    private const string ManifestName = ".sdserverless-sync.json";
    private readonly Lock _lock = new();
    private Task<string?>? _folder;

    /// <summary>Resolved once: the first call syncs, later calls share its answer.</summary>
    public Task<string?> GetFolderAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _folder ??= ResolveAsync();
        }
        return _folder.WaitAsync(cancellationToken);
    }

    private async Task<string?> ResolveAsync()
    {
        var model = string.IsNullOrWhiteSpace(worker.Value.Model) ? runtime?.Model : worker.Value.Model;
        if (string.IsNullOrWhiteSpace(model))
        {
            return null;
        }
        if (!S3Uri.TryParse(model, out var location))
        {
            return model;
        }
        return (await SyncAsync(location, CancellationToken.None)).Folder;
    }

    /// <summary>Brings the objects under <paramref name="location"/> into the cache; what is there already with the same size and ETag stays.</summary>
    public async Task<ModelSyncResult> SyncAsync(S3Uri location, CancellationToken cancellationToken)
    {
        var prefix = location.Key.Length == 0 || location.Key.EndsWith('/') ? location.Key : location.Key + "/";
        var target = Path.Combine(worker.Value.ModelCacheDirectory, location.Bucket, prefix.TrimEnd('/').Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(target);
        var manifestPath = Path.Combine(target, ManifestName);
        var known = File.Exists(manifestPath)
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(await File.ReadAllTextAsync(manifestPath, cancellationToken)) ?? []
            : [];

        int downloaded = 0, reused = 0;
        var request = new ListObjectsV2Request { BucketName = location.Bucket, Prefix = prefix };
        ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(request, cancellationToken);
            foreach (var item in page.S3Objects ?? [])
            {
                var relative = item.Key[prefix.Length..];
                if (relative.Length == 0 || relative.EndsWith('/'))
                {
                    continue;
                }
                var path = Path.GetFullPath(Path.Combine(target, relative.Replace('/', Path.DirectorySeparatorChar)));
                if (!path.StartsWith(Path.GetFullPath(target), StringComparison.Ordinal))
                {
                    throw new ModelLoadException($"Model object '{item.Key}' would be written outside the cache folder.");
                }
                var stamp = $"{item.Size}:{item.ETag}";
                if (known.GetValueOrDefault(relative) == stamp && new FileInfo(path) is { Exists: true } existing && existing.Length == item.Size)
                {
                    reused++;
                    continue;
                }
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                var temporary = path + ".partial";
                using (var response = await s3.GetObjectAsync(location.Bucket, item.Key, cancellationToken))
                await using (var file = File.Create(temporary))
                {
                    await response.ResponseStream.CopyToAsync(file, cancellationToken);
                }
                if (new FileInfo(temporary).Length != item.Size)
                {
                    throw new ModelLoadException($"Model object '{item.Key}' arrived with the wrong size.");
                }
                File.Move(temporary, path, overwrite: true);
                known[relative] = stamp;
                downloaded++;
                LogProgress(logger, relative, item.Size ?? 0);
            }
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);

        if (downloaded + reused == 0)
        {
            throw new ModelLoadException($"No model files were found under {location}.");
        }
        await File.WriteAllTextAsync(manifestPath, JsonSerializer.Serialize(known), cancellationToken);
        LogSynced(logger, location.ToString(), target, downloaded, reused);
        return new ModelSyncResult(target, downloaded, reused);
    }

    [LoggerMessage(LogLevel.Information, "Downloaded model file {File} ({Bytes} bytes)")]
    private static partial void LogProgress(ILogger logger, string file, long bytes);

    [LoggerMessage(LogLevel.Information, "Model {Source} synced to {Folder}: {Downloaded} downloaded, {Reused} reused")]
    private static partial void LogSynced(ILogger logger, string source, string folder, int downloaded, int reused);
}
