using SdServerless.Contracts.Runtimes;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Tasks.Model;
using SdServerless.Functions.Tasks.Validation;

namespace SdServerless.Functions.Uploads;

/// <summary>
/// Replaces each <c>upload:&lt;id&gt;</c> in a submission (<c>init_images</c>, which also carries the A1111 extras
/// image, and ComfyUI <c>inputs</c>) with the upload's <c>s3://</c> URI, once a HEAD shows it exists under the caller's
/// prefix with an accepted type and within the runtime's <c>maxInputBytes</c>. The task is stored and sent with the
/// <c>s3://</c> URI, so the worker reads the upload as any other input in the caller's prefix.
/// </summary>
public sealed class UploadReferences(UploadStore uploads, RuntimeCatalog runtimes, string defaultRuntime, UploadsOptions options)
{
    public async Task<SubmitTaskRequest> ResolveAsync(SubmitTaskRequest request, string owner, ValidationErrors errors, CancellationToken cancellationToken)
    {
        var runtimeName = string.IsNullOrWhiteSpace(request.Runtime) ? defaultRuntime : request.Runtime;
        var hasImageRefs = request.InitImages?.Any(image => image is not null && UploadIds.IsRef(image)) == true;
        var hasInputRefs = request.Inputs?.Any(input => input?.Image is { } image && UploadIds.IsRef(image)) == true;
        if (!hasImageRefs && !hasInputRefs)
        {
            return request;
        }
        var maxBytes = Math.Min(options.MaxBytes, runtimes.Find(runtimeName)?.MaxInputBytes ?? options.MaxBytes);
        var images = request.InitImages;
        if (hasImageRefs)
        {
            images = [];
            for (var i = 0; i < request.InitImages!.Count; i++)
            {
                images.Add(await ResolveAsync(request.InitImages[i], $"init_images[{i}]", owner, runtimeName, maxBytes, errors, cancellationToken));
            }
        }
        var inputs = request.Inputs;
        if (hasInputRefs)
        {
            inputs = [];
            for (var i = 0; i < request.Inputs!.Count; i++)
            {
                var input = request.Inputs[i];
                inputs.Add(input?.Image is { } image
                    ? input with { Image = await ResolveAsync(image, $"inputs[{i}].image", owner, runtimeName, maxBytes, errors, cancellationToken) }
                    : input!);
            }
        }
        return request with { InitImages = images, Inputs = inputs };
    }

    private async Task<string> ResolveAsync(
        string image, string field, string owner, string runtimeName, long maxBytes, ValidationErrors errors, CancellationToken cancellationToken)
    {
        if (image is null || !UploadIds.IsRef(image))
        {
            return image!;
        }
        var id = image[UploadIds.RefScheme.Length..];
        if (await uploads.FindAsync(owner, id, cancellationToken) is not { } upload)
        {
            errors.Add(field, $"upload '{Shorten(id)}' is unknown for this API key (never uploaded, not finished, or expired).");
            return image;
        }
        if (upload.Size > maxBytes)
        {
            errors.Add(field, $"upload '{id}' is {upload.Size} bytes; runtime '{runtimeName}' accepts inputs of at most {maxBytes} bytes.");
        }
        if (!options.ContentTypes.Contains(upload.ContentType, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add(field, $"upload '{id}' is '{upload.ContentType}'; inputs must be one of {string.Join(", ", options.ContentTypes)}.");
        }
        return upload.S3Uri;
    }

    private static string Shorten(string id) => id.Length > 40 ? id[..40] + "..." : id;
}
