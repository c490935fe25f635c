using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(SdServerless.Diffusion.Benchmarks.TinyModel).Assembly).Run(args);
