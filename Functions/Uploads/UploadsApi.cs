using Microsoft.AspNetCore.Mvc;
using SdServerless.Functions.Hosting;
using SdServerless.Functions.Tasks.Model;
using SdServerless.Functions.Tasks.Submission;
using SdServerless.Functions.Tasks.Validation;

namespace SdServerless.Functions.Uploads;

public static class UploadsApi
{
    /// <summary>The largest <c>POST /v1/uploads</c> body: it names a type and a size, nothing more.</summary>
    public const int MaxRequestBytes = 4 * 1024;

    public static IEndpointRouteBuilder MapUploadsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/uploads", CreateUpload)
            .AddEndpointFilter<RequireApiKeyFilter>()
            .WithTags("Uploads")
            .WithName("CreateUpload")
            .WithSummary("Get a presigned URL to upload an input image")
            .WithDescription("Answers a presigned S3 PUT bound to the content type and exact size given (both are signed headers, so S3 refuses any other). Name the answer's ref (upload:<id>) wherever an image is accepted: init_images, ComfyUI inputs.")
            .Accepts<CreateUploadRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    public static async Task<Results<Created<UploadView>, ProblemHttpResult>> CreateUpload(
        HttpContext context, [FromServices] UploadStore uploads, [FromServices] UploadsOptions options, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync(context.Request, FunctionsJsonContext.Default.CreateUploadRequest, MaxRequestBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var errors = new ValidationErrors();
        var contentType = request!.ContentType?.Trim().ToLowerInvariant();
        if (contentType is null || !options.ContentTypes.Contains(contentType, StringComparer.Ordinal))
        {
            errors.Add("content_type", $"must be one of {string.Join(", ", options.ContentTypes)}.");
        }
        if (request.Size is not { } size || size < 1 || size > options.MaxBytes)
        {
            errors.Add("size", $"must be the file's size in bytes, 1 to {options.MaxBytes}.");
        }
        if (!errors.IsEmpty)
        {
            return ValidationProblems.From(errors);
        }

        var (id, url, expiresAt) = await uploads.PresignAsync(CallerFeature.OwnerOf(context), contentType!, request.Size!.Value, options.UrlExpiry);
        var view = new UploadView(id, UploadIds.RefScheme + id, url.AbsoluteUri, "PUT",
            new Dictionary<string, string> { ["Content-Type"] = contentType!, ["Content-Length"] = request.Size.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            expiresAt, options.MaxBytes);
        return TypedResults.Created((string?)null, view);
    }
}
