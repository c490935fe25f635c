namespace SdServerless.TestSupport.ComfyUi;

/// <summary>How a <see cref="ComfyUiServer"/> behaves.</summary>
/// <param name="NotReadyChecks">How many <c>/system_stats</c> checks answer 503 first.</param>
/// <param name="RejectPrompt">Answer <c>/prompt</c> with 400 and node errors.</param>
/// <param name="PromptServerError">Answer <c>/prompt</c> with 500.</param>
/// <param name="RefuseSocket">Answer <c>/ws</c> with 404 instead of a websocket; prompts finish once <c>/history</c> was read in vain.</param>
/// <param name="RejectUpload">Answer <c>/upload/image</c> with 400, as ComfyUI does for a name it will not store.</param>
/// <param name="Workspace">A folder holding <c>input/</c> and <c>output/</c>, as ComfyUI's own: uploads and saved images are written there.</param>
/// <param name="ExtraSaved">Images node 9 saves beyond its two.</param>
/// <param name="SilentEnd">Finish without the closing socket messages, as if they were lost; the socket stays open.</param>
public sealed record ComfyServerScript(
    ComfyRun Run = ComfyRun.Succeed,
    int NotReadyChecks = 0,
    int Steps = 4,
    bool RejectPrompt = false,
    bool PromptServerError = false,
    bool RefuseSocket = false,
    bool SilentEnd = false,
    bool RejectUpload = false,
    string? Workspace = null,
    int ExtraSaved = 0);
