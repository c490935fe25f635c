namespace SdServerless.AppHost;

/// <summary>
/// A runtime added for local runs (section <c>LocalRuntimes:&lt;name&gt;</c>): an AUTOMATIC1111 or ComfyUI server already
/// running on this machine (<c>Type</c> <c>a1111</c> or <c>comfyui</c>, <c>Url</c>), or a second ONNX runtime
/// (<c>Type</c> <c>onnx</c>, <c>ModelPath</c>; none means the tiny model).
/// </summary>
public sealed class LocalRuntime
{
    public string Type { get; set; } = "";

    /// <summary>The server's base URL (a1111, comfyui).</summary>
    public string? Url { get; set; }

    /// <summary>An optimum-layout ONNX folder (onnx).</summary>
    public string? ModelPath { get; set; }
}
