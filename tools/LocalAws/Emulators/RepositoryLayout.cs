namespace SdServerless.LocalAws.Emulators;

/// <summary>Finds the repository's files (the template, the emulator tools) from wherever a program or test runs.</summary>
public static class RepositoryLayout
{
    private const string Marker = "SdServerless.sln";

    public static string Root { get; } = FindRoot();

    public static string ServerlessTemplate => Path.Combine(Root, "serverless.template");

    public static string EmulatorTools => Path.Combine(Root, "tools", "emulators");

    private static string FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, Marker)))
                {
                    return directory.FullName;
                }
            }
        }
        throw new InvalidOperationException($"Could not find {Marker} above '{AppContext.BaseDirectory}' or '{Directory.GetCurrentDirectory()}'.");
    }
}
