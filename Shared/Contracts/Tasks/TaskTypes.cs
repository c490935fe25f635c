namespace SdServerless.Contracts.Tasks;

public static class TaskTypes
{
    public const string TextToImage = "text-to-image";
    public const string ImageToImage = "image-to-image";

    public static readonly IReadOnlyList<string> All = [TextToImage, ImageToImage];
}
