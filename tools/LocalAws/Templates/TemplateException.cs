namespace SdServerless.LocalAws.Templates;

/// <summary>A template that cannot be read or provisioned: the message names the resource or line at fault.</summary>
public sealed class TemplateException(string message, Exception? inner = null) : Exception(message, inner);
