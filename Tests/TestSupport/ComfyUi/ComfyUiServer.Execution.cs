using System.Text.Json.Nodes;

namespace SdServerless.TestSupport.ComfyUi;

/// <summary>How the test server "executes" a queued prompt: the messages ComfyUI sends and the history it keeps.</summary>
public sealed partial class ComfyUiServer
{
    private static readonly byte[] NodeNineFirst = Png(1);
    private static readonly byte[] NodeNineSecond = Png(2);
    private static readonly byte[] NodeTen = Png(3);
    private static readonly byte[] Preview = Png(4);

    /// <summary>What <c>/view</c> serves, by <c>type/subfolder/filename</c>; node 9's files are added as it saves them.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> _files = new(new Dictionary<string, byte[]>
    {
        ["output//b_00001_.png"] = NodeTen,
        ["temp//preview_00001_.png"] = Preview,
    });

    /// <summary>The saved images in the order a client must return them: node 9's two, then node 10's.</summary>
    public static IReadOnlyList<byte[]> SavedImages => [NodeNineFirst, NodeNineSecond, NodeTen];

    public const string NodeErrorDetails = "ckpt_name: 'missing.safetensors' not in ['sd15.safetensors']";

    public const string ExceptionMessage = "mat1 and mat2 shapes cannot be multiplied (154x2048 and 768x320)";

    public const string OutOfMemoryMessage = "CUDA out of memory. Tried to allocate 2.00 GiB";

    private static JsonObject Rejection => new()
    {
        ["error"] = new JsonObject { ["type"] = "prompt_outputs_failed_validation", ["message"] = "Prompt outputs failed validation", ["details"] = "", ["extra_info"] = new JsonObject() },
        ["node_errors"] = new JsonObject
        {
            ["4"] = new JsonObject
            {
                ["errors"] = new JsonArray(new JsonObject { ["type"] = "value_not_in_list", ["message"] = "Value not in list", ["details"] = NodeErrorDetails, ["extra_info"] = new JsonObject() }),
                ["dependent_outputs"] = new JsonArray("9"),
                ["class_type"] = "CheckpointLoaderSimple",
            },
        },
    };

    private async Task ExecuteAsync(ComfyQueuedPrompt queued)
    {
        var id = queued.PromptId;
        var token = _stopping.Token;
        Task Send(string type, JsonObject data) => _peers.TryGetValue(queued.ClientId, out var peer) ? peer.SendAsync(type, data) : Task.CompletedTask;
        JsonObject About(params (string Key, JsonNode? Value)[] fields)
        {
            var data = new JsonObject { ["prompt_id"] = id };
            foreach (var (key, value) in fields)
            {
                data[key] = value;
            }
            return data;
        }

        try
        {
            if (Script.Run == ComfyRun.StayQueued)
            {
                return;
            }
            var interrupted = _interrupted.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            Running = id;
            await Send("execution_start", About());
            await Send("execution_cached", About(("nodes", new JsonArray())));
            await Send("executing", About(("node", "3"), ("display_node", "3")));
            if (_peers.TryGetValue(queued.ClientId, out var previewPeer))
            {
                await previewPeer.SendPreviewAsync();
            }
            await Send("progress", new JsonObject { ["value"] = 7, ["max"] = 9, ["prompt_id"] = "someone-elses-prompt", ["node"] = "3" });
            var steps = Script.Run is ComfyRun.Succeed or ComfyRun.SaveNothing ? Script.Steps : 1;
            for (var step = 1; step <= steps; step++)
            {
                await Send("progress", About(("value", step), ("max", Script.Steps), ("node", "3")));
            }
            await Task.Delay(100, token);
            if (Script.RefuseSocket)
            {
                // Finish only once the client has polled in vain: it must keep polling, not read once.
                await PolledEarly(id).Task.WaitAsync(token);
            }

            switch (Script.Run)
            {
                case ComfyRun.FailNode or ComfyRun.OutOfMemory:
                    var oom = Script.Run == ComfyRun.OutOfMemory;
                    var error = About(("node_id", "3"), ("node_type", "KSampler"), ("executed", new JsonArray("4", "6", "7")),
                        ("exception_message", oom ? OutOfMemoryMessage : ExceptionMessage), ("exception_type", oom ? "torch.OutOfMemoryError" : "RuntimeError"),
                        ("traceback", new JsonArray("  File \"nodes.py\", line 1, in sample\n")), ("current_inputs", new JsonObject()), ("current_outputs", new JsonObject()));
                    await Send("execution_error", error);
                    Finish(id, Entry(id, "error", new JsonObject(), ("execution_error", error)));
                    await Send("executing", About(("node", null)));
                    return;
                case ComfyRun.Hang or ComfyRun.InterruptedElsewhere:
                    if (Script.Run == ComfyRun.Hang)
                    {
                        await interrupted.Task.WaitAsync(token);
                    }
                    var stop = About(("node_id", "3"), ("node_type", "KSampler"), ("executed", new JsonArray()));
                    await Send("execution_interrupted", stop);
                    Finish(id, Entry(id, "error", new JsonObject(), ("execution_interrupted", stop)));
                    await Send("executing", About(("node", null)));
                    return;
                case ComfyRun.DropSocket:
                    if (_peers.TryGetValue(queued.ClientId, out var dropped))
                    {
                        dropped.Abort();
                    }
                    await PolledEarly(id).Task.WaitAsync(token);
                    break;
            }

            var outputs = await SaveAsync(queued.Prompt, save: Script.Run != ComfyRun.SaveNothing);
            await Send("executed", About(("node", "9"), ("output", (outputs["9"] ?? new JsonObject()).DeepClone())));
            Finish(id, Entry(id, "success", outputs, ("execution_success", About())));
            if (!Script.SilentEnd)
            {
                await Send("execution_success", About());
                await Send("executing", About(("node", null)));
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The server is stopping.
        }
    }

    /// <summary>Completes when <c>/history</c> is read for the prompt before it has finished.</summary>
    private TaskCompletionSource PolledEarly(string id) =>
        _polledEarly.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private void Finish(string id, JsonObject entry)
    {
        _history[id] = entry;
        Running = null;
    }

    /// <summary>
    /// Node 10 is listed before node 9, as ComfyUI may list them; node 12 holds only a temp preview. Node 9 saves where
    /// its <c>filename_prefix</c> says (<c>run/a</c> when the prompt has none), as ComfyUI's SaveImage does.
    /// </summary>
    private async Task<JsonObject> SaveAsync(JsonObject prompt, bool save)
    {
        static JsonObject Image(string filename, string subfolder, string type) =>
            new() { ["filename"] = filename, ["subfolder"] = subfolder, ["type"] = type };
        var outputs = new JsonObject();
        if (save)
        {
            var prefix = prompt["9"]?["inputs"]?["filename_prefix"]?.GetValue<string>() is { } given && given.Contains('/') ? given : "run/a";
            var subfolder = prefix[..prefix.LastIndexOf('/')];
            var name = prefix[(prefix.LastIndexOf('/') + 1)..];
            var saved = new JsonArray();
            var count = 2 + Script.ExtraSaved;
            for (var n = 1; n <= count; n++)
            {
                var filename = $"{name}_{n:00000}_.png";
                var bytes = n switch { 1 => NodeNineFirst, 2 => NodeNineSecond, _ => Png((byte)(10 + n)) };
                _files[$"output/{subfolder}/{filename}"] = bytes;
                if (Script.Workspace is { } workspace)
                {
                    var folder = Path.Combine(workspace, "output", subfolder);
                    Directory.CreateDirectory(folder);
                    await File.WriteAllBytesAsync(Path.Combine(folder, filename), bytes);
                }
                saved.Add(Image(filename, subfolder, "output"));
            }
            outputs["10"] = new JsonObject { ["images"] = new JsonArray(Image("b_00001_.png", "", "output")) };
            outputs["9"] = new JsonObject { ["images"] = saved };
        }
        outputs["12"] = new JsonObject { ["images"] = new JsonArray(Image("preview_00001_.png", "", "temp")) };
        return outputs;
    }

    private static JsonObject Entry(string id, string status, JsonObject outputs, (string Event, JsonObject Data) last) => new()
    {
        ["prompt"] = new JsonArray(0, id, new JsonObject(), new JsonObject(), new JsonArray("9", "10")),
        ["outputs"] = outputs,
        ["status"] = new JsonObject
        {
            ["status_str"] = status,
            ["completed"] = status == "success",
            ["messages"] = new JsonArray(
                new JsonArray("execution_start", new JsonObject { ["prompt_id"] = id, ["timestamp"] = 1 }),
                new JsonArray(last.Event, last.Data.DeepClone())),
        },
    };

    private static byte[] Png(byte marker) => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, marker];
}
