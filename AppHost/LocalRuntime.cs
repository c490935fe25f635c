namespace SdServerless.AppHost;

/// <summary>
/// A runtime added for local runs (section <c>LocalRuntimes:&lt;name&gt;</c>): an AUTOMATIC1111 or ComfyUI server already
/// running on this machine (<c>Type</c> <c>a1111</c> or <c>comfyui</c>, <c>Url</c>), or a second ONNX runtime
/// (<c>Type</c> <c>onnx</c>, <c>ModelPath</c>, or <c>TinyModel</c> <c>sdxl</c> / <c>sdxl-turbo</c> for a tiny model of that shape).
/// </summary>
public sealed class LocalRuntime
{
    public string Type { get; set; } = "";

    /// <summary>The server's base URL (a1111, comfyui).</summary>
    public string? Url { get; set; }

    /// <summary>An optimum-layout ONNX folder (onnx).</summary>
    public string? ModelPath { get; set; }

    /// <summary>Without <see cref="ModelPath"/>: the tiny random model's shape (onnx), such as <c>sdxl</c>.</summary>
    public string? TinyModel { get; set; }
}
