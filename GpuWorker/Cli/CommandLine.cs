using SdServerless.GpuWorker.Diffusion;

namespace SdServerless.GpuWorker.Cli;

/// <summary>The worker's command-line verbs, dispatched before the web host starts.</summary>
public static class CommandLine
{
    public static bool IsCommand(string[] args) => args is ["generate" or "tiny-model", ..];

    public static async Task<int> RunAsync(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        try
        {
            return args[0] switch
            {
                "generate" => await GenerateCommand.RunAsync(new CliArguments(args.Skip(1), GenerateCommand.Options), cancellation.Token),
                _ => TinyModelCommand.Run(new CliArguments(args.Skip(1), TinyModelCommand.Options)),
            };
        }
        catch (Exception e) when (e is ArgumentException or GenerationInputException or EngineFaultException or IOException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("canceled");
            return 130;
        }
    }
}
