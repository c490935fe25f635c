namespace SdServerless.TestSupport.ComfyUi;

/// <summary>What <see cref="ComfyUiServer"/> does with a queued prompt.</summary>
public enum ComfyRun
{
    /// <summary>Progress on the socket, then the saved images in <c>/history</c> and <c>executing</c> with no node.</summary>
    Succeed,

    /// <summary>Like <see cref="Succeed"/> but no node saves an image.</summary>
    SaveNothing,

    /// <summary>Node 3 raises: <c>execution_error</c> on the socket and an error entry in <c>/history</c>.</summary>
    FailNode,

    /// <summary>Like <see cref="FailNode"/>, but what node 3 raises is CUDA running out of memory.</summary>
    OutOfMemory,

    /// <summary>Starts, reports one step and never finishes until <c>/interrupt</c>.</summary>
    Hang,

    /// <summary>Reports one step, then ends interrupted, as when someone else posts <c>/interrupt</c>.</summary>
    InterruptedElsewhere,

    /// <summary>Stays in <c>queue_pending</c> until deleted.</summary>
    StayQueued,

    /// <summary>Reports one step, aborts the client's socket, and finishes as <see cref="Succeed"/> does once <c>/history</c> was read in vain.</summary>
    DropSocket,
}
