using System.Text.RegularExpressions;

namespace SdServerless.GpuWorker.Agent.ComfyUi;

/// <summary>
/// The folder one task owns in ComfyUI's input and output folders (<c>input/{name}/</c>, <c>output/{name}/</c>): its
/// inputs are uploaded there under names the worker chooses, its save nodes write there, and both are deleted when the
/// task is done. Where <see cref="ComfyUiOptions.WorkspaceDirectory"/> is set (the folders ComfyUI was started with, shared
/// with the agent), the agent creates both folders before the prompt runs, writable by the runtime's user, and deletes
/// them afterwards; ComfyUI has no route that deletes files.
/// </summary>
internal sealed partial class ComfyTaskFolder
{
    private readonly string? _input;
    private readonly string? _output;

    public ComfyTaskFolder(string? taskId, string workspace)
    {
        // A task id is [A-Za-z0-9_-]{1,64} (the API's id rule); anything else gets a name of its own.
        Name = taskId is not null && SafeName().IsMatch(taskId) ? taskId : Guid.NewGuid().ToString("N");
        if (workspace.Length > 0)
        {
            _input = Path.Combine(workspace, "input", Name);
            _output = Path.Combine(workspace, "output", Name);
        }
    }

    /// <summary>The subfolder name, the same under <c>input/</c> and <c>output/</c>.</summary>
    public string Name { get; }

    /// <summary>Whether the agent can see ComfyUI's folders and so delete what the task left there.</summary>
    public bool IsShared => _input is not null;

    /// <summary>The task's two folders, empty, writable by the runtime's user (it may run as another user than the agent).</summary>
    public void Create()
    {
        foreach (var folder in (string?[])[_input, _output])
        {
            if (folder is null)
            {
                continue;
            }
            DeleteTree(folder);
            Directory.CreateDirectory(folder);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(folder, (UnixFileMode)0x1FF); // rwxrwxrwx: the runtime writes, the agent (owner) deletes.
            }
        }
    }

    /// <summary>Deletes both folders and everything in them; returns what could not be deleted, if anything.</summary>
    public string? Delete()
    {
        var faults = new List<string>();
        foreach (var folder in (string?[])[_input, _output])
        {
            if (folder is not null && DeleteTree(folder) is { } fault)
            {
                faults.Add(fault);
            }
        }
        return faults.Count == 0 ? null : string.Join("; ", faults);
    }

    private static string? DeleteTree(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"{folder}: {ex.Message}";
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex SafeName();
}
