namespace SdServerless.Contracts.Runtimes;

/// <summary>
/// ComfyUI's built-in node classes: the keys of <c>NODE_CLASS_MAPPINGS</c> in ComfyUI's <c>nodes.py</c>, the allow-list
/// of a <c>comfyui</c> runtime whose catalogue entry names none. Left out: <c>LoadLatent</c>, which reads any
/// <c>.latent</c> file in the runtime's shared input folder by name (no declared input can be a latent), and
/// <c>SaveLatent</c>, whose files are no image the worker returns. Custom nodes and the <c>comfy_extras</c> nodes run only
/// where a runtime's <c>workflows.nodeClasses</c> lists them.
/// </summary>
public static class ComfyNodeClasses
{
    public static readonly IReadOnlyList<string> BuiltIn =
    [
        "KSampler", "KSamplerAdvanced", "CheckpointLoaderSimple", "CheckpointLoader", "DiffusersLoader", "unCLIPCheckpointLoader",
        "CLIPTextEncode", "CLIPSetLastLayer", "CLIPLoader", "DualCLIPLoader", "UNETLoader", "VAELoader", "LoraLoader",
        "LoraLoaderModelOnly", "VAEDecode", "VAEEncode", "VAEDecodeTiled", "VAEEncodeTiled", "VAEEncodeForInpaint",
        "InpaintModelConditioning", "EmptyLatentImage", "LatentUpscale", "LatentUpscaleBy", "LatentFromBatch",
        "RepeatLatentBatch", "SetLatentNoiseMask", "LatentComposite", "LatentBlend", "LatentRotate", "LatentFlip", "LatentCrop",
        "SaveImage", "PreviewImage", "LoadImage", "LoadImageMask", "ImageScale", "ImageScaleBy", "ImageInvert", "ImageBatch",
        "ImagePadForOutpaint", "EmptyImage", "ConditioningAverage", "ConditioningCombine", "ConditioningConcat",
        "ConditioningSetArea", "ConditioningSetAreaPercentage", "ConditioningSetAreaStrength", "ConditioningSetMask",
        "ConditioningZeroOut", "ConditioningSetTimestepRange", "CLIPVisionEncode", "CLIPVisionLoader", "StyleModelApply",
        "StyleModelLoader", "unCLIPConditioning", "ControlNetApply", "ControlNetApplyAdvanced", "ControlNetLoader",
        "DiffControlNetLoader", "GLIGENLoader", "GLIGENTextBoxApply",
    ];
}
