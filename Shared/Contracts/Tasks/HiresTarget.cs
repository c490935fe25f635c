namespace SdServerless.Contracts.Tasks;

/// <summary>
/// The hires fix's sizes as A1111's <c>calculate_target_resolution</c> computes them, so that the API and the worker
/// agree on the final size: the target (<see cref="Width"/> x <see cref="Height"/>) and the size the first pass is
/// upscaled to, which covers the target when both <c>resize_x</c> and <c>resize_y</c> are given (the overhang is then
/// cropped, half each side).
/// </summary>
public sealed record HiresTarget(int Width, int Height, int UpscaleWidth, int UpscaleHeight)
{
    public static HiresTarget Calculate(int width, int height, double scale, int resizeX, int resizeY)
    {
        if (resizeX == 0 && resizeY == 0)
        {
            var (x, y) = ((int)(width * scale), (int)(height * scale));
            return new HiresTarget(x, y, x, y);
        }

        // One side given keeps the aspect ratio (integer division, as Python's //); both given cover the target.
        var keepWidth = resizeY == 0 || (resizeX != 0 && (double)width / height < (double)resizeX / resizeY);
        var (upX, upY) = keepWidth ? (resizeX, resizeX * height / width) : (resizeY * width / height, resizeY);
        return new HiresTarget(resizeX == 0 ? upX : resizeX, resizeY == 0 ? upY : resizeY, upX, upY);
    }
}
