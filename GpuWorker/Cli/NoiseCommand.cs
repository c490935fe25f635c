using System.Buffers.Binary;
using System.CommandLine;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Noise;

namespace SdServerless.GpuWorker.Cli;

/// <summary>
/// <c>noise --seed S --width W --height H --rng cpu|nv [--batch N] --out FILE</c>: a request's initial latent noise,
/// unscaled, as little-endian float32 of shape [N, C, H/8, W/8], to compare byte for byte with <c>torch.randn</c>.
/// </summary>
public static class NoiseCommand
{
    private static readonly Option<long> Seed = new("--seed") { Required = true };
    private static readonly Option<int> Width = new("--width") { Required = true, Description = "Pixels; a multiple of 8." };
    private static readonly Option<int> Height = new("--height") { Required = true, Description = "Pixels; a multiple of 8." };
    private static readonly Option<string> Rng = new("--rng") { Description = "cpu (PyTorch's CPU generator) or nv (A1111's NV source).", DefaultValueFactory = _ => "cpu" };
    private static readonly Option<int> Batch = new("--batch") { DefaultValueFactory = _ => 1 };
    private static readonly Option<int> Channels = new("--channels") { Description = "4, or 16 for models with 16 latent channels.", DefaultValueFactory = _ => 4 };
    private static readonly Option<string> Layout = new("--layout")
    {
        Description = "per_image (A1111: image n from seed + n) or whole_batch (ComfyUI: one torch.randn of the whole batch).",
        DefaultValueFactory = _ => "per_image",
    };

    private static readonly Option<long> Subseed = new("--subseed") { DefaultValueFactory = _ => -1 };
    private static readonly Option<float> SubseedStrength = new("--subseed-strength") { DefaultValueFactory = _ => 0f };
    private static readonly Option<string> Out = new("--out") { Required = true };

    public static (Command Command, Func<ParseResult, CancellationToken, Task<int>> Run) Create() =>
        (new Command("noise", "Writes a seed's initial latent noise as little-endian float32 [N, C, H/8, W/8].")
        {
            Seed, Width, Height, Rng, Batch, Channels, Layout, Subseed, SubseedStrength, Out,
        }, RunAsync);

    private static async Task<int> RunAsync(ParseResult args, CancellationToken cancellationToken)
    {
        var width = args.GetValue(Width);
        var height = args.GetValue(Height);
        var channels = args.GetValue(Channels);
        var batch = args.GetValue(Batch);
        if (args.GetValue(Seed) < 0 || width <= 0 || height <= 0 || width % 8 != 0 || height % 8 != 0 || channels is not (4 or 16) || batch is < 1 or > 64)
        {
            throw new ArgumentException("--seed must be 0 or more, --width and --height positive multiples of 8, --channels 4 or 16, --batch 1 to 64");
        }

        var request = new GenerationRequest("", null, width, height, 1, 0f, args.GetValue(Seed), "Euler", batch, 0, null)
        {
            Rng = RngSources.Parse(args.GetValue(Rng)) ?? throw new ArgumentException($"--rng {args.GetValue(Rng)}: use cpu or nv"),
            NoiseLayout = NoiseLayouts.Parse(args.GetValue(Layout)) ?? throw new ArgumentException($"--layout {args.GetValue(Layout)}: use per_image or whole_batch"),
            Subseed = args.GetValue(Subseed),
            SubseedStrength = args.GetValue(SubseedStrength),
        };
        var plan = NoisePlanner.Plan(request, int.MaxValue);
        var noise = new float[batch * channels * (height / 8) * (width / 8)];
        plan.Draw(noise, channels, height / 8, width / 8);

        var bytes = new byte[noise.Length * sizeof(float)];
        for (var i = 0; i < noise.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), noise[i]);
        }

        var output = args.GetValue(Out)!;
        await File.WriteAllBytesAsync(output, bytes, cancellationToken);
        Console.WriteLine($"{output}: float32 [{batch}, {channels}, {height / 8}, {width / 8}], seeds {string.Join(", ", plan.Seeds.Distinct())}, rng {RngSources.Name(plan.Source)}, {NoiseLayouts.Name(plan.Layout)}");
        return 0;
    }
}
