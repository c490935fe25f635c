namespace SdServerless.GpuWorker.Diffusion.Prompting;

/// <summary>
/// A run of prompt text with one attention weight, as AUTOMATIC1111's <c>parse_prompt_attention</c> returns it. A
/// <c>BREAK</c> keyword outside brackets is the fragment <c>("BREAK", -1)</c>; inside brackets its weight is scaled like
/// any other fragment's, and it is then read as the word "BREAK" (as A1111 reads it).
/// </summary>
public sealed record PromptFragment(string Text, double Weight)
{
    public const string BreakText = "BREAK";

    public bool IsBreak => Text == BreakText && Weight == -1;
}
