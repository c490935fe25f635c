namespace SdServerless.GpuWorker.Agent.ComfyUi;

/// <summary>How a finished prompt ended, as its <c>/history</c> entry says.</summary>
internal enum ComfyPromptOutcome
{
    Succeeded,
    Failed,
    Interrupted,
}
