namespace SdServerless.Infrastructure.Tests.Templates;

public sealed record TemplateReport(string File, int Resources, IReadOnlyList<string> Errors);
