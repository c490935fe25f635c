using Amazon.S3;
using Microsoft.Extensions.Options;
using SdServerless.Contracts.Tasks;
using SdServerless.GpuWorker.Diffusion.Imaging;
using SdServerless.ServiceDefaults.Net;
using SdServerless.ServiceDefaults.Telemetry;

namespace SdServerless.GpuWorker.Agent;

/// <summary>
/// Gets an init image's bytes from a data URL or plain base64, from <c>s3://</c>, or from an <c>https://</c> URL
/// (public addresses only, checked at connect time; no redirects; size and time limits). The image's width and height
/// are read from its PNG or JPEG header before anything decodes it, and an image over the pixel limit is the task's fault.
/// </summary>
public sealed class InitImageFetcher(IAmazonS3 s3, IHttpClientFactory httpClients, IOptions<WorkerOptions> options)
{
    public const string HttpClientName = "init-images";

    /// <summary>The first of the task's <c>init_images</c>, fetched in a span of its own.</summary>
    public async Task<byte[]> FetchFirstAsync(GenerationParameters parameters, CancellationToken cancellationToken)
    {
        var source = parameters.InitImages?.FirstOrDefault() ?? throw new InitImageException("This task needs init_images with one image.");
        using (SdServerlessTelemetry.ActivitySource.StartActivity("fetch init image"))
        {
            return await FetchAsync(source, cancellationToken, "init_images[0]");
        }
    }

    /// <summary>The image's bytes, once its header shows a PNG or JPEG within <see cref="WorkerOptions.MaxInitImagePixels"/>.</summary>
    public async Task<byte[]> FetchAsync(string source, CancellationToken cancellationToken, string field = "init image")
    {
        var encoded = await FetchBytesAsync(source, cancellationToken);
        ImageHeader.Check(encoded, options.Value.MaxInitImagePixels, field);
        return encoded;
    }

    private async Task<byte[]> FetchBytesAsync(string source, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxInitImageBytes;
        if (S3Uri.TryParse(source, out var location))
        {
            try
            {
                using var response = await s3.GetObjectAsync(location.Bucket, location.Key, cancellationToken);
                if (response.ContentLength > limit)
                {
                    throw new InitImageException($"init image {location} is {response.ContentLength} bytes; the limit is {limit}.");
                }
                return await ReadLimitedAsync(response.ResponseStream, limit, cancellationToken);
            }
            catch (AmazonS3Exception ex) when (ex.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Forbidden)
            {
                throw new InitImageException($"init image {location} cannot be read: {ex.ErrorCode}.", ex);
            }
        }
        if (Uri.TryCreate(source, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp))
        {
            return await DownloadAsync(url, limit, cancellationToken);
        }
        return DecodeBase64(source, limit);
    }

    private async Task<byte[]> DownloadAsync(Uri url, long limit, CancellationToken cancellationToken)
    {
        if (url.Scheme != Uri.UriSchemeHttps && !(options.Value.LocalDevMode && url.IsLoopback))
        {
            throw new InitImageException($"init image URL {url} must use https.");
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.InitImageTimeoutSeconds));
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new InitImageException($"init image URL {url} answered {(int)response.StatusCode}.");
            }
            if (response.Content.Headers.ContentLength > limit)
            {
                throw new InitImageException($"init image URL {url} is {response.Content.Headers.ContentLength} bytes; the limit is {limit}.");
            }
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            return await ReadLimitedAsync(stream, limit, timeout.Token);
        }
        catch (OutboundAddressException ex)
        {
            throw new InitImageException($"init image URL {url} is refused: {ex.Message}", ex);
        }
        catch (HttpRequestException ex) when (ex.InnerException is OutboundAddressException refused)
        {
            throw new InitImageException($"init image URL {url} is refused: {refused.Message}", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InitImageException($"init image URL {url} did not answer within {options.Value.InitImageTimeoutSeconds} s.", ex);
        }
    }

    private static byte[] DecodeBase64(string source, long limit)
    {
        // The API accepts the scheme and ";base64" in any case (RFC 2397 media types and RFC 3986 schemes are case-insensitive); so does the worker.
        var isDataUrl = source.StartsWith("data:", StringComparison.OrdinalIgnoreCase);
        var comma = isDataUrl ? source.IndexOf(',') : -1;
        if (isDataUrl && (comma < 0 || !source[..comma].EndsWith(";base64", StringComparison.OrdinalIgnoreCase)))
        {
            throw new InitImageException("init image data URL must be base64-encoded (data:image/png;base64,...).");
        }
        var payload = comma >= 0 ? source[(comma + 1)..] : source;
        if ((long)payload.Length * 3 / 4 > limit)
        {
            throw new InitImageException($"init image is larger than the limit of {limit} bytes.");
        }
        try
        {
            return Convert.FromBase64String(payload);
        }
        catch (FormatException ex)
        {
            throw new InitImageException("init image is neither a URL nor valid base64.", ex);
        }
    }

    private static async Task<byte[]> ReadLimitedAsync(Stream stream, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new InitImageException($"init image is larger than the limit of {limit} bytes.");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
