using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SdServerless.Functions.Tests.Infrastructure;

namespace SdServerless.Functions.Tests.Tasks.Api;

/// <summary>What each runtime type accepts at submit: workflows on ComfyUI, A1111's own fields on A1111, each refused elsewhere with the field named.</summary>
[Collection(ApiCollection.Name)]
public class RuntimeTypeSubmitTests(ApiFixture fixture)
{
    private static readonly JsonElement Graph = JsonDocument.Parse("""
        { "3": { "class_type": "KSampler", "inputs": { "seed": 5, "steps": 20 } },
          "9": { "class_type": "SaveImage", "inputs": { "images": ["8", 0] } } }
        """).RootElement;

    [Fact]
    public async Task AWorkflowOnTheComfyUiRuntimeIsQueuedWithItsGraph()
    {
        using var client = fixture.Client();

        using var response = await client.PostAsJsonAsync("/v1/tasks", new { runtime = "comfy", task_type = "comfyui-workflow", workflow = Graph });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var message = await QueueProbe.WaitForTaskAsync(fixture.Sqs, fixture.Stack.Resources["RuntimeQueuecomfy"].Ref, id);
        var parameters = JsonDocument.Parse(message.Body).RootElement.GetProperty("parameters");
        Assert.Equal("KSampler", parameters.GetProperty("workflow").GetProperty("3").GetProperty("class_type").GetString());
    }

    [Fact]
    public async Task AGuidancePipelineWhoseContentIsTheWorkflowIsAccepted()
    {
        using var client = fixture.Client();
        var id = $"pipeline-{Guid.NewGuid():N}";

        using var response = await client.PostAsJsonAsync("/v1alpha2", new { task = new { metadata = new { id, runtime = "comfy", tasktype = "pipeline" }, content = Graph } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var taskId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var message = await QueueProbe.WaitForTaskAsync(fixture.Sqs, fixture.Stack.Resources["RuntimeQueuecomfy"].Ref, taskId);
        Assert.Equal("comfyui-workflow", JsonDocument.Parse(message.Body).RootElement.GetProperty("task_type").GetString());
    }

    [Fact]
    public async Task AMalformedWorkflowNamesTheNodeAndField()
    {
        using var client = fixture.Client();
        var workflow = JsonDocument.Parse("""{ "3": { "inputs": {} }, "4": { "class_type": "VAEDecode", "inputs": [] }, "5": 7 }""").RootElement;

        using var response = await client.PostAsJsonAsync("/v1/tasks", new { runtime = "comfy", task_type = "comfyui-workflow", workflow });

        var errors = await ProblemAssert.FieldErrorsAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["workflow.3.class_type", "workflow.4.inputs", "workflow.5"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ANodeClassOutsideTheRuntimesAllowListIsRefusedWithItsField()
    {
        using var client = fixture.Client();
        var workflow = JsonDocument.Parse("""
            { "3": { "class_type": "KSampler", "inputs": {} },
              "7": { "class_type": "ExecutePythonCode", "inputs": { "code": "import os" } },
              "8": { "class_type": "LoadLatent", "inputs": { "latent": "x.latent" } } }
            """).RootElement;

        using var response = await client.PostAsJsonAsync("/v1/tasks", new { runtime = "comfy", task_type = "comfyui-workflow", workflow });

        var errors = await ProblemAssert.FieldErrorsAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["workflow.7.class_type", "workflow.8.class_type"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("'ExecutePythonCode' is not allowed", errors["workflow.7.class_type"][0]);
    }

    [Theory]
    [InlineData("init.png")]
    [InlineData("ComfyUI_00001_.png [output]")]
    [InlineData("../other-task/0.png")]
    public async Task ALoadImageNamingAFileThatIsNotADeclaredInputIsRefused(string image)
    {
        using var client = fixture.Client();
        var workflow = JsonDocument.Parse($$"""
            { "3": { "class_type": "KSampler", "inputs": {} },
              "10": { "class_type": "LoadImage", "inputs": { "image": "mine.png" } },
              "11": { "class_type": "LoadImageMask", "inputs": { "image": {{JsonSerializer.Serialize(image)}}, "channel": "alpha" } } }
            """).RootElement;
        var inputs = new[] { new { name = "mine.png", image = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==" } };

        using var response = await client.PostAsJsonAsync("/v1/tasks", new { runtime = "comfy", task_type = "comfyui-workflow", workflow, inputs });

        var errors = await ProblemAssert.FieldErrorsAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["workflow.11.inputs.image"], errors.Keys);
        Assert.Contains("not one of the task's inputs", errors["workflow.11.inputs.image"][0]);
    }

    [Fact]
    public async Task AComfyUiRuntimeRefusesTextToImageAndAnOnnxRuntimeRefusesWorkflows()
    {
        using var client = fixture.Client();

        using var onComfy = await client.PostAsJsonAsync("/v1/tasks", new { runtime = "comfy", prompt = "x" });
        using var onOnnx = await client.PostAsJsonAsync("/v1/tasks", new { runtime = "sdruntime", task_type = "comfyui-workflow", workflow = Graph });

        Assert.Contains("does not serve 'text-to-image'", (await ProblemAssert.FieldErrorsAsync(onComfy, HttpStatusCode.UnprocessableEntity))["task_type"][0]);
        Assert.Contains("does not serve 'comfyui-workflow'", (await ProblemAssert.FieldErrorsAsync(onOnnx, HttpStatusCode.UnprocessableEntity))["task_type"][0]);
    }

    [Fact]
    public async Task ACheckpointOverrideNeedsARuntimeWithDynamicModels()
    {
        using var client = fixture.Client();

        using var fixedModel = await client.PostAsJsonAsync("/v1/tasks", new { runtime = "sdruntime", prompt = "x", sd_model_checkpoint = "other.safetensors" });
        using var dynamicModel = await client.PostAsJsonAsync("/v1/tasks", new { runtime = "sdturbo", prompt = "x", sd_model_checkpoint = "other.safetensors", alwayson_scripts = new { } });

        Assert.Contains("sd_model_checkpoint", (await ProblemAssert.FieldErrorsAsync(fixedModel, HttpStatusCode.UnprocessableEntity)).Keys);
        Assert.Equal(HttpStatusCode.Accepted, dynamicModel.StatusCode);
    }

    [Fact]
    public async Task AnUpscaleOnAnA1111RuntimeNeedsItsUpscalerAndFactor()
    {
        using var client = fixture.Client();
        const string image = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

        using var missing = await client.PostAsJsonAsync("/v1/tasks", new { runtime = "sdturbo", task_type = "extra-single-image", init_images = new[] { image } });
        using var complete = await client.PostAsJsonAsync("/v1/tasks", new { runtime = "sdturbo", task_type = "extra-single-image", init_images = new[] { image }, upscaler_1 = "R-ESRGAN 4x+", upscaling_resize = 2 });

        var errors = await ProblemAssert.FieldErrorsAsync(missing, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["upscaler_1", "upscaling_resize"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.Accepted, complete.StatusCode);
    }
}
