namespace SdServerless.Functions.Tasks.Validation;

/// <summary>What a runtime type does with an AUTOMATIC1111 request field (published in <c>GET /v1/runtimes</c>).</summary>
public enum FieldHandling
{
    /// <summary>The field changes the image as it does in A1111.</summary>
    Honoured,

    /// <summary>A value that would change the image is refused with 422 naming the field; A1111's neutral value is accepted.</summary>
    Refused,

    /// <summary>Accepted: the field does not change the image (saving, sending, comments).</summary>
    NoEffect,
}
