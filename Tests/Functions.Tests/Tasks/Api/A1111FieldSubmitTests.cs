using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using SdServerless.Functions.Tests.Infrastructure;
using SdServerless.Functions.Tasks.Validation;

namespace SdServerless.Functions.Tests.Tasks.Api;

/// <summary>
/// Every AUTOMATIC1111 field that would change the image is honoured or refused by name on each runtime type, never
/// dropped: the ONNX runtime refuses what its engine cannot do, accepts A1111's neutral values and what changes no
/// pixel, and an A1111 runtime passes everything on.
/// </summary>
[Collection(ApiCollection.Name)]
public class A1111FieldSubmitTests(ApiFixture fixture)
{
    /// <summary>For each field the ONNX table refuses: a value that would change an A1111 image (with what it needs beside it).</summary>
    public static TheoryData<string, string> RefusedOnOnnx => new()
    {
        { "styles", """{"styles":["cinematic"]}""" },
        { "sampler_index", """{"sampler_index":"DDIM"}""" },
        { "restore_faces", """{"restore_faces":true}""" },
        { "tiling", """{"tiling":true}""" },
        { "s_min_uncond", """{"s_min_uncond":0.5}""" },
        { "refiner_checkpoint", """{"refiner_checkpoint":"sdxl-refiner"}""" },
        { "refiner_switch_at", """{"refiner_checkpoint":"sdxl-refiner","refiner_switch_at":0.8}""" },
        { "firstpass_image", """{"firstpass_image":"abc"}""" },
        { "hr_checkpoint_name", """{"enable_hr":true,"hr_checkpoint_name":"other"}""" },
        { "hr_cfg", """{"enable_hr":true,"hr_cfg":5}""" },
        { "firstphase_width", """{"enable_hr":true,"firstphase_width":256}""" },
        { "firstphase_height", """{"enable_hr":true,"firstphase_height":256}""" },
        { "script_name", """{"script_name":"x/y/z plot"}""" },
        { "script_args", """{"script_args":[1,2]}""" },
        { "infotext", """{"infotext":"a cat\nSteps: 20"}""" },
        { "resize_mode", """{"resize_mode":1}""" },
        { "mask", """{"mask":"iVBORw0KGgo="}""" },
        { "mask_blur", """{"mask":"iVBORw0KGgo=","mask_blur":4}""" },
        { "mask_blur_x", """{"mask":"iVBORw0KGgo=","mask_blur_x":4}""" },
        { "mask_blur_y", """{"mask":"iVBORw0KGgo=","mask_blur_y":4}""" },
        { "mask_round", """{"mask":"iVBORw0KGgo=","mask_round":false}""" },
        { "inpainting_fill", """{"mask":"iVBORw0KGgo=","inpainting_fill":1}""" },
        { "inpaint_full_res", """{"mask":"iVBORw0KGgo=","inpaint_full_res":true}""" },
        { "inpaint_full_res_padding", """{"mask":"iVBORw0KGgo=","inpaint_full_res_padding":32}""" },
        { "inpainting_mask_invert", """{"inpainting_mask_invert":1}""" },
        { "latent_mask", """{"latent_mask":"iVBORw0KGgo="}""" },
        { "initial_noise_multiplier", """{"initial_noise_multiplier":1.1}""" },
        { "alwayson_scripts", """{"alwayson_scripts":{"controlnet":{"args":[{"module":"canny"}]}}}""" },
        { "override_settings.sd_model_checkpoint", """{"override_settings":{"sd_model_checkpoint":"other"}}""" },
        { "override_settings.sd_vae", """{"override_settings":{"sd_vae":"other.vae"}}""" },
    };

    private static JsonObject Body(string fields, string runtime = "sdruntime")
    {
        var body = JsonNode.Parse(fields)!.AsObject();
        body["runtime"] = runtime;
        body["prompt"] ??= "a cat";
        return body;
    }

    [Theory]
    [MemberData(nameof(RefusedOnOnnx))]
    public async Task AFieldTheOnnxRuntimeCannotHonourIsRefusedByName(string field, string fields)
    {
        using var client = fixture.Client();

        using var response = await client.PostAsJsonAsync("/v1/tasks", Body(fields));

        var errors = await ProblemAssert.FieldErrorsAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains(field, errors.Keys);
    }

    [Fact]
    public void TheTestsCoverEveryFieldTheOnnxTableRefuses()
    {
        var covered = RefusedOnOnnx.Select(row => (string)row[0]).ToHashSet();
        var refused = A1111FieldTables.Onnx.Where(entry => entry.Value == FieldHandling.Refused).Select(entry => entry.Key).ToHashSet();
        Assert.Subset(covered, refused);
    }

    [Fact]
    public async Task A1111sDefaultBodyAndFieldsThatChangeNoPixelAreAccepted()
    {
        using var client = fixture.Client();
        var body = Body("""
            {"styles":[],"subseed":-1,"subseed_strength":0,"seed_resize_from_h":-1,"seed_resize_from_w":-1,"scheduler":"Automatic",
             "n_iter":1,"restore_faces":false,"tiling":false,"eta":null,"s_min_uncond":0,"s_churn":0,"s_tmin":0,"s_noise":1,
             "enable_hr":false,"hr_scale":2,"hr_upscaler":"Latent","hr_second_pass_steps":0,"firstphase_width":0,"script_name":"",
             "script_args":[],"do_not_save_samples":true,"do_not_save_grid":true,"save_images":false,"send_images":true,
             "override_settings_restore_afterwards":true,"comments":{},"override_settings":{"samples_save":false},
             "alwayson_scripts":{},"sampler_name":"Euler a","sampler_index":"Euler"}
            """);

        using var response = await client.PostAsJsonAsync("/v1/tasks", body);

        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("""{"sampler_name":"DPM++ 2S a","eta":0.5,"s_noise":0.9}""")]
    [InlineData("""{"sampler_name":"Heun","s_churn":2,"s_tmin":0.5,"s_tmax":10}""")]
    [InlineData("""{"sampler_name":"DPM++ SDE Karras"}""")]
    [InlineData("""{"sampler_name":"DPM++ 2M SDE","scheduler":"sgm_uniform"}""")]
    public async Task TheOnnxRuntimeTakesTheNewSamplersAndTheirSettings(string fields)
    {
        using var client = fixture.Client();

        using var response = await client.PostAsJsonAsync("/v1/tasks", Body(fields));

        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("""{"eta":1.5}""", "eta")]
    [InlineData("""{"s_noise":-1}""", "s_noise")]
    [InlineData("""{"s_churn":"lots"}""", "s_churn")]
    [InlineData("""{"s_tmax":5000}""", "s_tmax")]
    public async Task SamplerSettingsOutOfRangeAreNamed(string fields, string field)
    {
        using var client = fixture.Client();

        using var response = await client.PostAsJsonAsync("/v1/tasks", Body(fields));

        var errors = await ProblemAssert.FieldErrorsAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public async Task TheGuidancesRouteNamesABadSamplerSettingInsideTaskContent()
    {
        using var client = fixture.Client();
        var content = Body("""{"eta":-0.5}""");
        content.Remove("runtime");

        using var response = await client.PostAsJsonAsync("/v1alpha2", new JsonObject
        {
            ["task"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["id"] = $"eta-{Guid.NewGuid():N}", ["runtime"] = "sdruntime", ["tasktype"] = "text-to-image" },
                ["content"] = content,
            },
        });

        var errors = await ProblemAssert.FieldErrorsAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["task.content.eta"], errors.Keys);
    }

    [Fact]
    public async Task TheGuidancesRouteNamesARefusedFieldInsideTaskContent()
    {
        using var client = fixture.Client();
        var content = Body("""{"restore_faces":true,"n_iter":1}""");
        content.Remove("runtime");

        using var response = await client.PostAsJsonAsync("/v1alpha2", new JsonObject
        {
            ["task"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["id"] = $"faces-{Guid.NewGuid():N}", ["runtime"] = "sdruntime", ["tasktype"] = "text-to-image" },
                ["content"] = content,
            },
        });

        var errors = await ProblemAssert.FieldErrorsAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["task.content.restore_faces"], errors.Keys);
    }

    [Theory]
    [InlineData("prompt", "a cat <lora:detail:0.8>")]
    [InlineData("prompt", "a cat <hypernet:anime:1>")]
    [InlineData("negative_prompt", "<LoRA:bad-hands:1>")]
    public async Task LoraAndHypernetworkTagsAreRefusedOnTheOnnxRuntime(string field, string text)
    {
        using var client = fixture.Client();
        var body = Body("{}");
        body[field] = text;

        using var response = await client.PostAsJsonAsync("/v1/tasks", body);

        var errors = await ProblemAssert.FieldErrorsAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("LoRA", Assert.Single(errors[field]));
    }

    [Fact]
    public async Task ClipSkipAndEmphasisAreTakenNativelyOrFromOverrideSettings()
    {
        using var client = fixture.Client();
        var body = Body("""{"override_settings":{"CLIP_stop_at_last_layers":2,"emphasis":"No norm"}}""");

        using var response = await client.PostAsJsonAsync("/v1/tasks", body);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var message = await QueueProbe.WaitForTaskAsync(fixture.Sqs, fixture.Stack.Resources["RuntimeQueuesdruntime"].Ref, id);
        var parameters = JsonDocument.Parse(message.Body).RootElement.GetProperty("parameters");
        Assert.Equal(2, parameters.GetProperty("clip_skip").GetInt32());
        Assert.Equal("No norm", parameters.GetProperty("emphasis").GetString());
    }

    [Theory]
    [InlineData("""{"clip_skip":0}""", "clip_skip")]
    [InlineData("""{"clip_skip":13}""", "clip_skip")]
    [InlineData("""{"clip_skip":2,"override_settings":{"CLIP_stop_at_last_layers":3}}""", "clip_skip")]
    [InlineData("""{"override_settings":{"CLIP_stop_at_last_layers":"two"}}""", "override_settings.CLIP_stop_at_last_layers")]
    [InlineData("""{"override_settings":{"emphasis":"Louder"}}""", "override_settings.emphasis")]
    [InlineData("""{"override_settings":[1]}""", "override_settings")]
    public async Task BadPromptSettingsAreNamed(string fields, string field)
    {
        using var client = fixture.Client();

        using var response = await client.PostAsJsonAsync("/v1/tasks", Body(fields));

        var errors = await ProblemAssert.FieldErrorsAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains(field, errors.Keys);
    }

    [Fact]
    public async Task AnA1111RuntimeTakesEveryFieldAndPassesItOn()
    {
        using var client = fixture.Client();
        var body = Body("""{"restore_faces":true,"enable_hr":true,"hr_scale":2,"prompt":"a cat <lora:detail:0.8>","clip_skip":2,"override_settings":{"sd_vae":"x.vae"}}""", "sdturbo");

        using var response = await client.PostAsJsonAsync("/v1/tasks", body);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var message = await QueueProbe.WaitForTaskAsync(fixture.Sqs, fixture.Stack.Resources["RuntimeQueuesdturbo"].Ref, id);
        var parameters = JsonDocument.Parse(message.Body).RootElement.GetProperty("parameters");
        var fields = parameters.GetProperty("a1111_fields");
        Assert.True(fields.GetProperty("restore_faces").GetBoolean());
        Assert.Equal(2, fields.GetProperty("hr_scale").GetInt32());
        Assert.Equal("x.vae", fields.GetProperty("override_settings").GetProperty("sd_vae").GetString());
        Assert.Equal(2, parameters.GetProperty("clip_skip").GetInt32());
    }

    [Fact]
    public async Task TheRuntimesListPublishesEachRuntimeTypesFieldTable()
    {
        using var client = fixture.Client();

        var runtimes = (await client.GetFromJsonAsync<JsonElement>("/v1/runtimes")).GetProperty("runtimes").EnumerateArray()
            .ToDictionary(runtime => runtime.GetProperty("name").GetString()!, runtime => runtime.GetProperty("a1111_fields"));

        Assert.Equal("refused", runtimes["sdruntime"].GetProperty("restore_faces").GetString());
        Assert.Equal("honoured", runtimes["sdruntime"].GetProperty("clip_skip").GetString());
        Assert.Equal("no_effect", runtimes["sdruntime"].GetProperty("save_images").GetString());
        Assert.Equal("honoured", runtimes["sdturbo"].GetProperty("restore_faces").GetString());
    }
}
