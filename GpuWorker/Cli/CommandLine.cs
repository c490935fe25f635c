using System.CommandLine;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Faults;

namespace SdServerless.GpuWorker.Cli;

/// <summary>The worker's command-line verbs (<c>generate</c>, <c>tiny-model</c>, <c>noise</c>), dispatched before the web host starts.</summary>
public static class CommandLine
{
    public static bool IsCommand(string[] args) => args is ["generate" or "tiny-model" or "noise", ..];

    /// <summary>0 on success, 1 for a command line that does not parse, 2 when the work failed (the reason on stderr), 130 when canceled.</summary>
    public static Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("SdServerless GPU worker: runs the queue agent, or one of these commands.")
        {
            Guarded(GenerateCommand.Create()),
            Guarded(TinyModelCommand.Create()),
            Guarded(NoiseCommand.Create()),
        };
        return root.Parse(args).InvokeAsync();
    }

    /// <summary>Reports a failure of the work as one line and exit code 2, not as a stack trace.</summary>
    private static Command Guarded((Command Command, Func<ParseResult, CancellationToken, Task<int>> Run) verb)
    {
        verb.Command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await verb.Run(parse, cancellationToken);
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
        });
        return verb.Command;
    }
}
