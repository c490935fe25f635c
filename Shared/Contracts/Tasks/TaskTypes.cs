namespace SdServerless.Contracts.Tasks;

public static class TaskTypes
{
    public const string TextToImage = "text-to-image";
    public const string ImageToImage = "image-to-image";

    /// <summary>A ComfyUI API-format workflow run as it is (the guidance's <c>pipeline</c>).</summary>
    public const string ComfyUiWorkflow = "comfyui-workflow";

    /// <summary>AUTOMATIC1111's extras: upscale or resize one image.</summary>
    public const string ExtraSingleImage = "extra-single-image";

    public static readonly IReadOnlyList<string> All = [TextToImage, ImageToImage, ComfyUiWorkflow, ExtraSingleImage];
}
