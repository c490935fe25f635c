namespace SdServerless.Functions.Tasks.Validation;

/// <summary>A caller's value echoed in an error message, cut so that a hostile value cannot make the answer large.</summary>
public static class CallerText
{
    public static string Shorten(string value, int max = 80) => value.Length <= max ? value : value[..max] + "…";
}
