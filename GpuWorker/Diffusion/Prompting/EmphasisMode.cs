namespace SdServerless.GpuWorker.Diffusion.Prompting;

/// <summary>
/// AUTOMATIC1111's "Emphasis mode" setting (<c>modules/sd_emphasis.py</c>): how the weights of <c>(a:1.2)</c> reach the
/// text encoder's hidden states. A1111's default, <see cref="Original"/>, is the default here for every model family,
/// SDXL included, so that a prompt copied from A1111 gives the same conditioning.
/// </summary>
public enum EmphasisMode
{
    /// <summary>"Original": multiply each token's hidden state by its weight, then rescale the chunk so its mean is unchanged.</summary>
    Original,

    /// <summary>"No norm": multiply only.</summary>
    NoNorm,

    /// <summary>"Ignore": brackets and <c>BREAK</c> are read, the weights are not applied.</summary>
    Ignore,

    /// <summary>"None": the prompt is taken literally; brackets are characters and <c>BREAK</c> is a word.</summary>
    None,
}
