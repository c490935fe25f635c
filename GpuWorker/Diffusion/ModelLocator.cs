using Microsoft.Extensions.Logging;
using SdServerless.GpuWorker.Diffusion.TinyModels;
using SdServerless.GpuWorker.Diffusion.Models;

namespace SdServerless.GpuWorker.Diffusion;

/// <summary>Finds the model folder: the given path, or else a tiny random model generated once into a cache folder.</summary>
public static partial class ModelLocator
{
    /// <summary>Bumped whenever the tiny model generator changes, so stale cached folders are not reused.</summary>
    public const string TinyModelFolderName = "sdserverless-tiny-sd-v1";

    public static string Resolve(string? modelPath, DiffusionOptions options, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(modelPath))
        {
            return modelPath;
        }

        var variant = TinyModelVariant.Parse(options.TinyModelVariant);
        var folder = Path.Combine(options.TinyModelCacheDirectory ?? Path.GetTempPath(), TinyModelFolder(options.TinyModelVariant));
        LogTinyModel(logger, folder);
        EnsureTinyModel(folder, variant);
        return folder;
    }

    /// <summary>The cached tiny model's folder name: <see cref="TinyModelFolderName"/>, with the variant appended when one is set.</summary>
    public static string TinyModelFolder(string? variant) =>
        string.IsNullOrWhiteSpace(variant)
            ? TinyModelFolderName
            : $"{TinyModelFolderName}-{string.Join('-', variant.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToLowerInvariant()}";

    /// <summary>Generates the tiny model unless a complete one is already there (written aside, then moved into place).</summary>
    public static void EnsureTinyModel(string folder, TinyModelVariant? variant = null)
    {
        if (File.Exists(Path.Combine(folder, "model_index.json")))
        {
            return;
        }

        var staging = $"{folder}.{Guid.NewGuid():N}.tmp";
        TinyModelGenerator.Generate(staging, variant);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(folder))!);
            Directory.Move(staging, folder);
        }
        catch (IOException) when (File.Exists(Path.Combine(folder, "model_index.json")))
        {
            // Another process generated it first; theirs is identical.
            Directory.Delete(staging, recursive: true);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "No model configured: using a tiny random model at {ModelFolder}. Generated images will be NOISE. " +
        "To generate real images give the worker Worker__Model (or its runtime a model in runtimes.json): a Stable Diffusion ONNX folder in the optimum layout " +
        "(model_index.json, text_encoder/, unet/, vae_decoder/, vae_encoder/, tokenizer/, scheduler/) or an s3:// prefix holding one.")]
    private static partial void LogTinyModel(ILogger logger, string modelFolder);
}
