using BenchmarkDotNet.Running;
using SdServerless.Diffusion.Benchmarks;

if (args.Length > 0 && args[0] == PeakMemoryBenchmark.Command)
{
    return PeakMemoryBenchmark.Run(args[1..]);
}

if (args.Length > 0 && args[0] == PeakMemoryBenchmark.ChildCommand)
{
    return PeakMemoryBenchmark.RunOne(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(TinyModel).Assembly).Run(args);
return 0;
