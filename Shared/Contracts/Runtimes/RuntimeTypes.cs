using SdServerless.Contracts.Tasks;

namespace SdServerless.Contracts.Runtimes;

/// <summary>The kinds of generator a runtime can put behind its queue.</summary>
public static class RuntimeTypes
{
    /// <summary>The built-in diffusion engine on ONNX Runtime.</summary>
    public const string Onnx = "onnx";

    /// <summary>An AUTOMATIC1111 WebUI beside the queue agent.</summary>
    public const string A1111 = "a1111";

    /// <summary>A ComfyUI server beside the queue agent.</summary>
    public const string ComfyUi = "comfyui";

    public static readonly IReadOnlyList<string> All = [Onnx, A1111, ComfyUi];

    /// <summary>The task types a runtime of <paramref name="runtimeType"/> can serve at all.</summary>
    public static IReadOnlyList<string> ServedBy(string runtimeType) => runtimeType switch
    {
        Onnx => [TaskTypes.TextToImage, TaskTypes.ImageToImage],
        A1111 => [TaskTypes.TextToImage, TaskTypes.ImageToImage, TaskTypes.ExtraSingleImage],
        ComfyUi => [TaskTypes.ComfyUiWorkflow],
        _ => [],
    };
}
