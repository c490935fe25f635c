using SdServerless.Contracts.Runtimes;
using static SdServerless.Functions.Tasks.Validation.FieldHandling;

namespace SdServerless.Functions.Tasks.Validation;

/// <summary>
/// What each runtime type does with every AUTOMATIC1111 <c>txt2img</c>/<c>img2img</c> request field: one table per runtime
/// type, published in <c>GET /v1/runtimes</c> and enforced at submit (<see cref="A1111FieldRules"/>). To honour a field on
/// a runtime type, flip its entry here once its generator uses it. <c>override_settings</c> keys appear as
/// <c>override_settings.KEY</c>; keys not listed are refused on ONNX runtimes.
/// </summary>
public static class A1111FieldTables
{
    public const string OverrideSettingsPrefix = "override_settings.";

    /// <summary>The built-in engine: what it reads, what it cannot do yet, and what changes no pixel.</summary>
    public static readonly IReadOnlyDictionary<string, FieldHandling> Onnx = new Dictionary<string, FieldHandling>(StringComparer.Ordinal)
    {
        ["prompt"] = Honoured,
        ["negative_prompt"] = Honoured,
        ["width"] = Honoured,
        ["height"] = Honoured,
        ["steps"] = Honoured,
        ["cfg_scale"] = Honoured,
        ["seed"] = Honoured,
        ["sampler_name"] = Honoured,
        ["batch_size"] = Honoured,
        ["denoising_strength"] = Honoured,
        ["init_images"] = Honoured,
        ["clip_skip"] = Honoured,
        ["override_settings.CLIP_stop_at_last_layers"] = Honoured,
        ["override_settings.emphasis"] = Honoured,
        ["override_settings.randn_source"] = Honoured,
        ["override_settings.eta_noise_seed_delta"] = Honoured,
        ["override_settings.sd_model_checkpoint"] = Refused,
        ["alwayson_scripts"] = Refused,
        ["styles"] = Refused,
        ["subseed"] = Honoured,
        ["subseed_strength"] = Honoured,
        ["seed_resize_from_h"] = Honoured,
        ["seed_resize_from_w"] = Honoured,
        ["scheduler"] = Honoured,
        ["sampler_index"] = Refused,
        ["n_iter"] = Honoured,
        ["restore_faces"] = Refused,
        ["tiling"] = Refused,
        ["eta"] = Honoured,
        ["s_min_uncond"] = Refused,
        ["s_churn"] = Honoured,
        ["s_tmin"] = Honoured,
        ["s_tmax"] = Honoured,
        ["s_noise"] = Honoured,
        ["refiner_checkpoint"] = Refused,
        ["refiner_switch_at"] = Refused,
        ["firstpass_image"] = Refused,
        ["enable_hr"] = Honoured,
        ["hr_scale"] = Honoured,
        ["hr_upscaler"] = Honoured,
        ["hr_second_pass_steps"] = Honoured,
        ["hr_resize_x"] = Honoured,
        ["hr_resize_y"] = Honoured,
        ["hr_checkpoint_name"] = Refused,
        ["hr_sampler_name"] = Honoured,
        ["hr_scheduler"] = Honoured,
        ["hr_prompt"] = Honoured,
        ["hr_negative_prompt"] = Honoured,
        ["hr_cfg"] = Refused,
        ["firstphase_width"] = Refused,
        ["firstphase_height"] = Refused,
        ["script_name"] = Refused,
        ["script_args"] = Refused,
        ["infotext"] = Refused,
        ["resize_mode"] = Refused,
        ["mask"] = Refused,
        ["mask_blur"] = Refused,
        ["mask_blur_x"] = Refused,
        ["mask_blur_y"] = Refused,
        ["mask_round"] = Refused,
        ["inpainting_fill"] = Refused,
        ["inpaint_full_res"] = Refused,
        ["inpaint_full_res_padding"] = Refused,
        ["inpainting_mask_invert"] = Refused,
        ["latent_mask"] = Refused,
        ["initial_noise_multiplier"] = Refused,
        ["image_cfg_scale"] = NoEffect,
        ["include_init_images"] = NoEffect,
        ["save_images"] = NoEffect,
        ["send_images"] = NoEffect,
        ["do_not_save_samples"] = NoEffect,
        ["do_not_save_grid"] = NoEffect,
        ["override_settings_restore_afterwards"] = NoEffect,
        ["disable_extra_networks"] = NoEffect,
        ["comments"] = NoEffect,
        ["force_task_id"] = NoEffect,
        ["override_settings.samples_save"] = NoEffect,
        ["override_settings.grid_save"] = NoEffect,
        ["override_settings.save_to_dirs"] = NoEffect,
        ["override_settings.enable_pnginfo"] = NoEffect,
    };

    /// <summary>AUTOMATIC1111 itself: every field reaches it unchanged (ours as A1111 names them).</summary>
    public static readonly IReadOnlyDictionary<string, FieldHandling> A1111 = Onnx.ToDictionary(
        entry => entry.Key,
        entry => entry.Value == NoEffect ? NoEffect : Honoured,
        StringComparer.Ordinal);

    /// <summary>
    /// ComfyUI runtimes run <c>comfyui-workflow</c> tasks, whose workflow carries every setting: the A1111 fields change
    /// nothing there, and the ones that would change an A1111 image are refused rather than dropped.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, FieldHandling> ComfyUi = Onnx.ToDictionary(
        entry => entry.Key,
        entry => entry.Value == Refused ? Refused : NoEffect,
        StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, FieldHandling> For(string runtimeType) => runtimeType switch
    {
        RuntimeTypes.A1111 => A1111,
        RuntimeTypes.ComfyUi => ComfyUi,
        _ => Onnx,
    };

    /// <summary>The table as <c>GET /v1/runtimes</c> publishes it: field → <c>honoured</c>, <c>refused</c> or <c>no_effect</c>.</summary>
    public static IReadOnlyDictionary<string, string> Published(string runtimeType) =>
        For(runtimeType).ToDictionary(entry => entry.Key, entry => Name(entry.Value), StringComparer.Ordinal);

    public static string Name(FieldHandling handling) => handling switch
    {
        Honoured => "honoured",
        Refused => "refused",
        _ => "no_effect",
    };
}
