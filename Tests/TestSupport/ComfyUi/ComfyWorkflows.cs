using System.Text.Json.Nodes;

namespace SdServerless.TestSupport.ComfyUi;

/// <summary>API-format workflows as ComfyUI's "Export (API)" writes them.</summary>
public static class ComfyWorkflows
{
    public const long Seed = 1234;

    /// <summary>Text to image: checkpoint, two prompts, an empty latent, KSampler (node 3), decode, SaveImage (node 9).</summary>
    public static JsonObject TextToImage() => Parse("""
        {
          "3": { "class_type": "KSampler", "inputs": { "seed": 1234, "steps": 4, "cfg": 7, "sampler_name": "euler", "scheduler": "normal", "denoise": 1,
                 "model": ["4", 0], "positive": ["6", 0], "negative": ["7", 0], "latent_image": ["5", 0] } },
          "4": { "class_type": "CheckpointLoaderSimple", "inputs": { "ckpt_name": "sd15.safetensors" } },
          "5": { "class_type": "EmptyLatentImage", "inputs": { "width": 512, "height": 512, "batch_size": 1 } },
          "6": { "class_type": "CLIPTextEncode", "inputs": { "text": "a red cube", "clip": ["4", 1] } },
          "7": { "class_type": "CLIPTextEncode", "inputs": { "text": "blurry", "clip": ["4", 1] } },
          "8": { "class_type": "VAEDecode", "inputs": { "samples": ["3", 0], "vae": ["4", 2] } },
          "9": { "class_type": "SaveImage", "inputs": { "filename_prefix": "a", "images": ["8", 0] } }
        }
        """);

    /// <summary>Inpainting: LoadImage (node 10) reads <c>init.png</c>, LoadImageMask (node 12) reads <c>mask.png</c>.</summary>
    public static JsonObject Inpaint()
    {
        var workflow = TextToImage();
        workflow["10"] = Parse("""{ "class_type": "LoadImage", "inputs": { "image": "init.png" } }""");
        workflow["11"] = Parse("""{ "class_type": "VAEEncodeForInpaint", "inputs": { "pixels": ["10", 0], "vae": ["4", 2], "mask": ["12", 0], "grow_mask_by": 6 } }""");
        workflow["12"] = Parse("""{ "class_type": "LoadImageMask", "inputs": { "image": "mask.png", "channel": "alpha" } }""");
        workflow["3"]!["inputs"]!["latent_image"] = new JsonArray("11", 0);
        return workflow;
    }

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
