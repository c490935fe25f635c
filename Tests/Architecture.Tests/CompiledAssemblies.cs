using System.Reflection;

namespace SdServerless.Architecture.Tests;

/// <summary>Where the solution's projects put their compiled assemblies, in the configuration these tests were built in.</summary>
public static class CompiledAssemblies
{
    public static string PathOf(string projectFolder, string assemblyName)
    {
        var output = typeof(CompiledAssemblies).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BuildOutput").Value!;
        var path = Path.Combine(RepositoryRoot(), projectFolder, output, assemblyName + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{assemblyName} is not built at {path}.", path);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SdServerless.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No SdServerless.sln above {AppContext.BaseDirectory}.");
    }
}
